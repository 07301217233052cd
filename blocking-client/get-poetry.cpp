// get-poetry: the Get Poetry Now! client, blocking edition (Part 2's
// blocking-client/get-poetry.py, which Part 4 compares its clients to).
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
#include "timedelta.hpp"

#include <chrono>
#include <string>

namespace {

// Reads the poem until the server closes the connection. A connection lost
// mid-poem (or Ctrl-C) ends the poem early, with `why` saying so; what
// arrived is kept.
lab::ByteBuffer get_poetry(const lab::Address& address, std::string& why) {
    lab::Socket sock = lab::connect_to(address);
    lab::ByteBuffer poem;
    for (;;) {
        // This is the 'blocking' call in this synchronous program: recv()
        // waits, for as long as it takes, until the server sends more bytes
        // or closes the connection.
        lab::Received got = lab::receive(sock, poem);
        if (got.kind == lab::Received::EndOfStream) return poem;
        if (got.kind == lab::Received::Failed) {
            why = "lost the connection to " + lab::format_address(address) + ": " + got.reason();
            return poem;
        }
    }
}

}  // namespace

int main(int argc, char** argv) try {
    lab::Options options = lab::parse_args(argc, argv);

    // Whole microseconds, like Python's timedelta: the total printed is
    // then exactly the sum of the times printed.
    std::chrono::microseconds elapsed{0};
    for (std::size_t i = 0; i < options.addresses.size(); ++i) {
        int task = static_cast<int>(i + 1);
        std::string addr_fmt = lab::format_address(options.addresses[i]);
        lab::say_get_poetry(task, options.addresses[i]);  // Task 1: get poetry from: 127.0.0.1:10000
        auto start = lab::Clock::now();
        // Here we call our synchronous function to get the poem.
        std::string why;
        lab::ByteBuffer poem = get_poetry(options.addresses[i], why);
        auto time = std::chrono::duration_cast<std::chrono::microseconds>(lab::Clock::now() - start);
        lab::say("Task ", task, ": got ", poem.size(), " bytes of poetry from ", addr_fmt, " in ",
                 lab::format_timedelta(time));
        if (!why.empty()) lab::say("Task ", task, ": ", why);
        elapsed += time;
    }
    return lab::say_got_poems(options, elapsed);  // Got 3 poems in 0:00:23.012345
} catch (...) {
    return lab::report_error();  // one line on stderr, "get-poetry: error: ...", and exit status 1
}
