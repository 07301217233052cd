// get-poetry: the Get Poetry Now! client, blocking edition.
//
// Downloads one poem from each server in turn: connect, read until the
// server closes, then on to the next. While it waits on one server the
// others wait too, so the total is the SUM of the servers' times (about
// 23 s on the chapter's three servers). Part 4 compares the reactor client
// against exactly this.
//
//   build/blocking-client/get-poetry 10000 10001 10002
#include "address.hpp"
#include "cli.hpp"
#include "net.hpp"
#include "output.hpp"
#include "stop.hpp"
#include "timedelta.hpp"
#include "trace.hpp"

#include <chrono>
#include <string>

#include <poll.h>

namespace {

// Blocks until the server closes the connection. A connection lost mid-poem
// (or Ctrl-C) ends the poem early, with `why` saying so; what arrived is kept.
lab::ByteBuffer get_poetry(const lab::Address& address, std::string& why) {
    lab::Socket sock = lab::connect_to(address);
    lab::ByteBuffer poem;
    for (;;) {
        // Wait where Ctrl-C can reach us (lib/stop.hpp), then recv().
        if (lab::wait_for(sock.fileno(), POLLIN, std::nullopt) == lab::Wait::Stopped) return poem;
        lab::Received got = lab::receive(sock, poem);
        if (got.kind == lab::Received::EndOfStream) return poem;
        if (got.kind == lab::Received::Failed) {
            why = "lost the connection to " + lab::format_address(address) + ": " + got.reason();
            return poem;
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    // run_client reads the command line and puts --connect-timeout, --quiet,
    // --count-only and --trace in effect.
    return lab::run_client(argc, argv, 0, [&](const lab::ClientOptions& options) {
        // Whole microseconds, like Python's timedelta: the total printed is
        // then exactly the sum of the times printed.
        std::chrono::microseconds elapsed{0};
        std::size_t finished = 0;
        bool lost = false;
        lab::catch_stop_signals();
        for (std::size_t i = 0; i < options.addresses.size() && !lab::stop_requested(); ++i) {
            std::string addr_fmt = lab::format_address(options.addresses[i]);
            if (!lab::quiet()) lab::say("Task ", i + 1, ": get poetry from: ", addr_fmt);
            auto start = lab::Clock::now();
            lab::trace::callback_started("get_poetry", static_cast<int>(i + 1));
            std::string why;
            lab::ByteBuffer poem = get_poetry(options.addresses[i], why);
            lab::trace::slice(static_cast<int>(i + 1), poem.size());
            auto time = std::chrono::duration_cast<std::chrono::microseconds>(lab::Clock::now() - start);
            lab::say("Task ", i + 1, ": got ", poem.size(), " bytes of poetry from ", addr_fmt,
                     " in ", lab::format_timedelta(time));
            if (!why.empty()) {
                lost = true;
                lab::say("Task ", i + 1, ": ", why);
            } else if (!lab::stop_requested()) {
                ++finished;
            }
            elapsed += time;
        }
        // "Got 3 poems in ...", or after Ctrl-C "Interrupted: got 1 of 3 poems in ..."
        lab::say_got_poems(options.addresses.size(), finished, elapsed);
        return lost ? 1 : 0;  // 1: a poem was cut short
    });
}
