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
#include "timedelta.hpp"
#include "trace.hpp"

#include <chrono>

namespace {

// Blocks in recv() until the server closes the connection.
lab::ByteBuffer get_poetry(const lab::Address& address) {
    lab::Socket sock = lab::connect_to(address);
    lab::ByteBuffer poem;
    for (;;) {
        lab::Received got = lab::receive(sock, poem);
        if (got.kind == lab::Received::EndOfStream) return poem;
        if (got.kind == lab::Received::Failed)
            throw lab::Error("lost the connection to " + lab::format_address(address) + " after " +
                             std::to_string(poem.size()) + " bytes: " + got.reason());
    }
}

}  // namespace

int main(int argc, char** argv) {
    return lab::run_main(argc, argv, [&] {
        auto addresses = lab::parse_client_args(argc, argv, "blocking edition").addresses;
        // Whole microseconds, like Python's timedelta: the total printed is
        // then exactly the sum of the times printed.
        std::chrono::microseconds elapsed{0};
        for (std::size_t i = 0; i < addresses.size(); ++i) {
            std::string addr_fmt = lab::format_address(addresses[i]);
            if (!lab::quiet()) lab::say("Task ", i + 1, ": get poetry from: ", addr_fmt);
            auto start = lab::Clock::now();
            lab::trace::callback_started("get_poetry");
            lab::ByteBuffer poem = get_poetry(addresses[i]);
            lab::trace::slice(static_cast<int>(i + 1), poem.size());
            auto time = std::chrono::duration_cast<std::chrono::microseconds>(lab::Clock::now() - start);
            lab::say("Task ", i + 1, ": got ", poem.size(), " bytes of poetry from ", addr_fmt,
                     " in ", lab::format_timedelta(time));
            elapsed += time;
        }
        lab::say("Got ", addresses.size(), " poems in ", lab::format_timedelta(elapsed));
        return 0;
    });
}
