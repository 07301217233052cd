// task.LoopingCall, built on callLater as Twisted's is: it calls on a
// fixed grid from start(), skips the beats a held loop missed, and stops.
#include "task.hpp"

#include <doctest/doctest.h>

#include <thread>
#include <vector>

TEST_CASE("LoopingCall: now, then every interval, until stop()") {
    lab::Reactor reactor;
    int calls = 0;
    lab::LoopingCall loop(reactor, [&] {
        if (++calls == 3) reactor.stop();
    });
    loop.start(0.01);
    CHECK(calls == 1);  // now=true: the first call is made by start() itself
    CHECK(loop.running());
    reactor.run();
    CHECK(calls == 3);
    loop.stop();
    CHECK_FALSE(loop.running());
    CHECK_FALSE(loop.call);
    CHECK_THROWS_AS(loop.start(-1), lab::Error);
}

TEST_CASE("LoopingCall: start(interval, false) waits one interval first") {
    lab::Reactor reactor;
    std::vector<double> when;
    lab::LoopingCall loop(reactor, [&] {
        when.push_back(reactor.seconds());
        if (when.size() == 2) reactor.stop();
    });
    loop.start(0.02, false);
    CHECK(when.empty());
    reactor.run();
    REQUIRE(when.size() == 2);
    // On the grid: start + 0.02, start + 0.04 (not 0.02 after each call).
    // (libevent times its timers from the time it cached when the turn
    // began, so a call may come up to a millisecond early by our clock.)
    CHECK(when[0] >= loop.starttime() + 0.02 - 0.002);
    CHECK(when[1] >= loop.starttime() + 0.04 - 0.002);
}

TEST_CASE("LoopingCall: a held loop skips the missed calls, and `call` says how late one came") {
    lab::Reactor reactor;
    std::vector<double> late;
    lab::LoopingCall loop(reactor, [&] {
        late.push_back(reactor.seconds() - loop.call->getTime());
        if (late.size() == 2) reactor.stop();
    });
    loop.start(0.01, false);
    // A callback that holds the loop for ten intervals.
    reactor.callLater(0, [] { std::this_thread::sleep_for(std::chrono::milliseconds(100)); });
    reactor.run();
    REQUIRE(late.size() == 2);
    CHECK(late[0] > 0.05);   // the first call came long after it was due ...
    CHECK(late[1] < late[0]);  // ... and the next was due on the grid after it, not ten times over
}

TEST_CASE("LoopingCall: stop() from inside its function ends it; it can start again") {
    lab::Reactor reactor;
    int calls = 0;
    lab::LoopingCall loop(reactor, [&] {
        ++calls;
        loop.stop();
    });
    loop.start(0);
    CHECK(calls == 1);
    CHECK_FALSE(loop.running());
    loop.start(0.01, false);
    reactor.callLater(0.05, [&] { reactor.stop(); });
    reactor.run();
    CHECK(calls == 2);
    loop.start(1, false);
    CHECK_THROWS_AS(loop.start(1), lab::Error);  // it is running already
}
