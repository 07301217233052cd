// The reactor's contract, the one the chapter's client relies on: doRead is
// called when the socket is readable, a Failure from it means removeReader
// then connectionLost, getReaders tells who is left, callLater runs in time
// order unless cancelled, and run() returns only after stop().
#include "reactor.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include <csignal>

#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

// Two connected sockets: what we write on `far` is readable on `near`.
struct SocketPair {
    int near = -1;
    int far = -1;
    SocketPair() {
        int fds[2];
        REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
        near = fds[0];
        far = fds[1];
    }
    ~SocketPair() {
        if (near >= 0) close(near);
        if (far >= 0) close(far);
    }
    void send(const std::string& text) const {
        REQUIRE(write(far, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
    }
};

// A reader that records what happens to it; `on_read` decides what doRead
// does after reading what is there.
class Recorder : public lab::IReadDescriptor, public lab::IWriteDescriptor {
public:
    Recorder(int fd, std::vector<std::string>& events, std::string name)
        : fd_(fd), events_(events), name_(std::move(name)) {}

    std::function<lab::ReadResult(Recorder&)> on_read = [](Recorder&) { return std::nullopt; };
    std::function<lab::ReadResult(Recorder&)> on_write = [](Recorder&) { return std::nullopt; };
    std::function<void()> on_lost = [] {};
    std::string received;

    int fileno() const override { return fd_; }
    std::string logPrefix() const override { return name_; }
    lab::ReadResult doRead() override {
        char buffer[256];
        ssize_t n = read(fd_, buffer, sizeof buffer);
        if (n > 0) received.append(buffer, static_cast<std::size_t>(n));
        events_.push_back(name_ + ".doRead");
        return on_read(*this);
    }
    lab::ReadResult doWrite() override {
        events_.push_back(name_ + ".doWrite");
        return on_write(*this);
    }
    void connectionLost(const lab::Failure& reason) override {
        events_.push_back(name_ + ".connectionLost(" + (reason.clean() ? "done" : "lost") + ")");
        on_lost();
    }

private:
    int fd_;
    std::vector<std::string>& events_;
    std::string name_;
};

// A reactor with one Recorder, "r", watching one end of a socket pair:
// where most of these tests start.
struct OneReader {
    lab::Reactor reactor;
    SocketPair pair;
    std::vector<std::string> events;
    Recorder reader{pair.near, events, "r"};
};

// What getReaders() holds when no reader of ours is left.
std::vector<lab::IReadDescriptor*> just_the_waker(lab::Reactor& reactor) { return {reactor.waker()}; }

}  // namespace

TEST_CASE_FIXTURE(OneReader, "addReader: doRead is called when the socket is readable") {
    reader.on_read = [&](Recorder&) {
        reactor.stop();
        return std::nullopt;
    };
    reactor.addReader(&reader);
    pair.send("a poem");
    reactor.run();
    CHECK(reader.received == "a poem");
    CHECK(events == std::vector<std::string>{"r.doRead"});
}

TEST_CASE_FIXTURE(OneReader, "a Failure from doRead: removeReader, then connectionLost, in that order") {
    std::size_t readers_seen_in_connectionLost = 99;
    reader.on_read = [&](Recorder&) -> lab::ReadResult { return lab::CONNECTION_DONE; };
    // By the time connectionLost runs the reader is gone from getReaders:
    // that is how the chapter's last PoetrySocket knows to stop the reactor.
    reader.on_lost = [&] {
        readers_seen_in_connectionLost = reactor.getReaders().size();
        reactor.stop();
    };
    reactor.addReader(&reader);
    pair.send("x");
    reactor.run();
    CHECK(events == std::vector<std::string>{"r.doRead", "r.connectionLost(done)"});
    CHECK(readers_seen_in_connectionLost == 1);  // the waker alone
    CHECK(reactor.getReaders() == just_the_waker(reactor));
}

TEST_CASE_FIXTURE(OneReader, "CONNECTION_LOST reaches connectionLost as not clean, with its reason") {
    reader.on_read = [&](Recorder&) -> lab::ReadResult {
        reactor.stop();
        return lab::CONNECTION_LOST.because("Connection reset by peer");
    };
    CHECK_FALSE(lab::CONNECTION_LOST.because("x").clean());
    CHECK(lab::CONNECTION_LOST.because("x").message == "x");
    reactor.addReader(&reader);
    pair.send("x");
    reactor.run();
    CHECK(events == std::vector<std::string>{"r.doRead", "r.connectionLost(lost)"});
}

TEST_CASE_FIXTURE(OneReader, "removeReader inside doRead: never called again, though still readable") {
    reader.on_read = [&](Recorder& self) {
        reactor.removeReader(&self);
        return std::nullopt;
    };
    reactor.addReader(&reader);
    pair.send("more than one read's worth? no matter: EV_PERSIST would call again");
    close(pair.far);  // end of stream: readable forever after
    pair.far = -1;
    reactor.callLater(0.05, [&] { reactor.stop(); });
    reactor.run();
    CHECK(events == std::vector<std::string>{"r.doRead"});
    CHECK(reactor.getReaders() == just_the_waker(reactor));
}

TEST_CASE("getReaders after removals lists exactly who is left, in order") {
    lab::Reactor reactor;
    SocketPair a, b, c;
    std::vector<std::string> events;
    Recorder ra(a.near, events, "a"), rb(b.near, events, "b"), rc(c.near, events, "c");
    reactor.addReader(&ra);
    reactor.addReader(&rb);
    reactor.addReader(&rc);
    reactor.addReader(&rb);  // a set: adding twice keeps one
    CHECK(reactor.getReaders() == std::vector<lab::IReadDescriptor*>{reactor.waker(), &ra, &rb, &rc});
    reactor.removeReader(&rb);
    CHECK(reactor.getReaders() == std::vector<lab::IReadDescriptor*>{reactor.waker(), &ra, &rc});
    reactor.removeReader(&rb);  // absent: no-op, as in Twisted
    reactor.removeReader(&ra);
    reactor.removeReader(&rc);
    CHECK(reactor.getReaders() == just_the_waker(reactor));
}

TEST_CASE("addWriter: doWrite when writable; a Failure removes reader and writer both") {
    lab::Reactor reactor;
    SocketPair pair;
    std::vector<std::string> events;
    Recorder both(pair.near, events, "w");
    both.on_write = [&](Recorder&) -> lab::ReadResult { return lab::CONNECTION_LOST; };
    reactor.addReader(&both);
    reactor.addWriter(&both);
    CHECK(reactor.getWriters() == std::vector<lab::IWriteDescriptor*>{&both});
    reactor.callLater(0.05, [&] { reactor.stop(); });
    reactor.run();
    CHECK(events == std::vector<std::string>{"w.doWrite", "w.connectionLost(lost)"});
    CHECK(reactor.getReaders() == just_the_waker(reactor));
    CHECK(reactor.getWriters().empty());
}

TEST_CASE("callLater runs calls in time order, not the order they were made") {
    lab::Reactor reactor;
    std::vector<int> order;
    reactor.callLater(0.03, [&] { order.push_back(3); reactor.stop(); });
    reactor.callLater(0.01, [&] { order.push_back(1); });
    reactor.callLater(0.02, [&] { order.push_back(2); });
    reactor.run();
    CHECK(order == std::vector<int>{1, 2, 3});
}

TEST_CASE("a cancelled call never runs; cancel twice is AlreadyCancelled") {
    lab::Reactor reactor;
    bool ran = false;
    auto call = reactor.callLater(0.01, [&] { ran = true; });
    CHECK(call->active());
    call->cancel();
    CHECK_FALSE(call->active());
    CHECK_THROWS_AS(call->cancel(), lab::AlreadyCancelled);
    CHECK_THROWS_AS(call->reset(1), lab::AlreadyCancelled);
    reactor.callLater(0.03, [&] { reactor.stop(); });
    reactor.run();
    CHECK_FALSE(ran);
}

TEST_CASE("after it has run a call is not active, and cancel is AlreadyCalled") {
    lab::Reactor reactor;
    int runs = 0;
    auto call = reactor.callLater(0, [&] { ++runs; });
    reactor.callLater(0.02, [&] { reactor.stop(); });
    reactor.run();
    CHECK(runs == 1);
    CHECK_FALSE(call->active());
    CHECK_THROWS_AS(call->cancel(), lab::AlreadyCalled);
}

TEST_CASE("reset and delay move a pending call; getTime follows") {
    lab::Reactor reactor;
    std::vector<std::string> order;
    auto late = reactor.callLater(0.01, [&] { order.push_back("moved"); reactor.stop(); });
    reactor.callLater(0.02, [&] { order.push_back("fixed"); });
    double before = late->getTime();
    late->reset(0.03);
    CHECK(late->getTime() > before);
    double after_reset = late->getTime();
    late->delay(0.01);
    CHECK(late->getTime() == doctest::Approx(after_reset + 0.01));
    reactor.run();
    CHECK(order == std::vector<std::string>{"fixed", "moved"});
}

TEST_CASE("a call cancelled from inside another call does not run") {
    lab::Reactor reactor;
    bool ran = false;
    auto victim = reactor.callLater(0.02, [&] { ran = true; });
    reactor.callLater(0.01, [&] { victim->cancel(); });
    reactor.callLater(0.04, [&] { reactor.stop(); });
    reactor.run();
    CHECK_FALSE(ran);
}

TEST_CASE("getReaders lists the reactor's own waker, as Twisted's lists its _UnixWaker") {
    lab::Reactor reactor;
    REQUIRE(reactor.getReaders().size() == 1);
    CHECK(reactor.getReaders()[0] == reactor.waker());
    CHECK(reactor.waker()->logPrefix() == "Waker");
    CHECK(dynamic_cast<Recorder*>(reactor.waker()) == nullptr);
}

TEST_CASE("a connectionLost that waits for no reader at all never stops; the chapter's does") {
    // The chapter's connectionLost stops the reactor once no PoetrySocket
    // is left among the readers. One that waits until no reader at all is
    // left waits forever: the waker never leaves.
    for (bool chapters_way : {true, false}) {
        CAPTURE(chapters_way);
        lab::Reactor reactor;
        SocketPair pair;
        std::vector<std::string> events;
        Recorder poem(pair.near, events, "poem");
        poem.on_read = [](Recorder&) -> lab::ReadResult { return lab::CONNECTION_DONE; };
        bool stopped_by_connectionLost = false;
        poem.on_lost = [&] {
            for (lab::IReadDescriptor* reader : reactor.getReaders())
                if (!chapters_way || dynamic_cast<Recorder*>(reader) != nullptr) return;
            stopped_by_connectionLost = true;
            reactor.stop();
        };
        reactor.addReader(&poem);
        pair.send("x");
        bool rescued = false;
        auto rescue = reactor.callLater(0.3, [&] { rescued = true; reactor.stop(); });
        reactor.run();
        CHECK(events == std::vector<std::string>{"poem.doRead", "poem.connectionLost(done)"});
        CHECK(stopped_by_connectionLost == chapters_way);
        CHECK(rescued == !chapters_way);
    }
}

TEST_CASE("with nothing at all left to watch, run() still waits for stop()") {
    // The case where libevent's dispatch and Twisted's run part ways: the
    // only reader removes itself and no timer is pending. What keeps the
    // loop running then is the waker; and with the waker removed too,
    // EVLOOP_NO_EXIT_ON_EMPTY. A child process runs that reactor; it must
    // still be inside run() when we look.
    for (bool remove_waker : {false, true}) {
        CAPTURE(remove_waker);
        SocketPair pair;
        SocketPair report;  // the child tells us when its reader is gone
        pid_t child = fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            try {
                lab::Reactor reactor;
                std::vector<std::string> events;
                Recorder reader(pair.near, events, "r");
                reader.on_read = [&](Recorder& self) {
                    reactor.removeReader(&self);
                    if (remove_waker) reactor.removeReader(reactor.waker());
                    [[maybe_unused]] auto n = write(report.far, "x", 1);
                    return std::nullopt;
                };
                reactor.addReader(&reader);
                reactor.run();
            } catch (...) {
                _exit(2);
            }
            _exit(0);  // reached only if run() returned
        }
        close(report.far);  // so that a child that dies early gives us end of stream
        report.far = -1;
        pair.send("x");
        pollfd answer{report.near, POLLIN, 0};
        REQUIRE(poll(&answer, 1, 20000) == 1);
        char byte = 0;
        REQUIRE(read(report.near, &byte, 1) == 1);
        poll(nullptr, 0, 200);  // give a wrongly returning run() ample time to exit
        int status = 0;
        CHECK(waitpid(child, &status, WNOHANG) == 0);  // 0: still running
        kill(child, SIGKILL);
        waitpid(child, &status, 0);
    }
}

TEST_CASE("stop() outside run() is ReactorNotRunning; a stopped reactor can run again") {
    lab::Reactor reactor;
    CHECK_THROWS_AS(reactor.stop(), lab::ReactorNotRunning);
    int runs = 0;
    reactor.callLater(0, [&] { ++runs; reactor.stop(); });
    reactor.run();
    reactor.callLater(0, [&] { ++runs; reactor.stop(); });
    reactor.run();
    CHECK(runs == 2);
    CHECK_THROWS_AS(reactor.stop(), lab::ReactorNotRunning);
}

TEST_CASE_FIXTURE(OneReader, "an exception in doRead does not cross libevent: the loop stops, run() rethrows") {
    reader.on_read = [&](Recorder&) -> lab::ReadResult { throw std::runtime_error("doRead blew up"); };
    bool later_ran = false;
    reactor.callLater(0.2, [&] { later_ran = true; reactor.stop(); });
    reactor.addReader(&reader);
    pair.send("x");
    CHECK_THROWS_WITH_AS(reactor.run(), "doRead blew up", std::runtime_error);
    CHECK_FALSE(later_ran);
    CHECK_FALSE(reactor.running());
}

TEST_CASE("an exception in a callLater callable: the same") {
    lab::Reactor reactor;
    reactor.callLater(0, [] { throw lab::Error("timer blew up"); });
    CHECK_THROWS_WITH_AS(reactor.run(), "timer blew up", lab::Error);
}

TEST_CASE("callLater, reset and delay refuse negative, NaN, infinite and absurd delays") {
    lab::Reactor reactor;
    for (double bad : {-1.0, std::nan(""), HUGE_VAL, 1e300}) {
        CAPTURE(bad);
        CHECK_THROWS_AS(reactor.callLater(bad, [] {}), lab::Error);
    }
    auto call = reactor.callLater(1, [] {});
    CHECK_THROWS_AS(call->reset(1e300), lab::Error);
    CHECK_THROWS_AS(call->delay(HUGE_VAL), lab::Error);
    CHECK(call->active());
}

TEST_CASE("a reader removing another reader that is ready in the same round") {
    lab::Reactor reactor;
    SocketPair a, b;
    std::vector<std::string> events;
    Recorder ra(a.near, events, "a"), rb(b.near, events, "b");
    // Whichever runs first removes the other: the other must not run.
    ra.on_read = [&](Recorder&) { reactor.removeReader(&rb); return std::nullopt; };
    rb.on_read = [&](Recorder&) { reactor.removeReader(&ra); return std::nullopt; };
    reactor.addReader(&ra);
    reactor.addReader(&rb);
    a.send("x");
    b.send("x");
    reactor.callLater(0.05, [&] { reactor.stop(); });
    reactor.run();
    REQUIRE(events.size() == 1);
    CHECK(reactor.getReaders().size() == 2);  // the waker and the one that ran
}

TEST_CASE("a cancelled DelayedCall lets go of what its callable captured") {
    lab::Reactor reactor;
    auto captured = std::make_shared<int>(42);
    auto call = reactor.callLater(10, [captured] {});
    CHECK(captured.use_count() == 2);
    call->cancel();
    CHECK(captured.use_count() == 1);
}

TEST_CASE("a DelayedCall kept after its reactor is gone is inactive, and safe") {
    std::shared_ptr<lab::DelayedCall> kept;
    {
        lab::Reactor reactor;
        kept = reactor.callLater(10, [] {});
        CHECK(kept->active());
    }
    CHECK_FALSE(kept->active());
    CHECK_THROWS_AS(kept->cancel(), lab::AlreadyCancelled);
}

namespace {

// Writes down what the reactor tells its observers.
class Notes final : public lab::ReactorObserver {
public:
    explicit Notes(std::vector<std::string>& notes) : notes_(notes) {}
    void running(lab::Reactor&) override { notes_.push_back("running"); }
    void stopped(lab::Reactor&) override { notes_.push_back("stopped"); }
    void stopping() override { notes_.push_back("stopping"); }
    void calling(const lab::Callback& c) override {
        notes_.push_back("calling " + (c.kind == lab::Callback::Timer ? "timer " + std::to_string(c.timer) : c.of));
    }
    void called(const lab::Callback& c, double seconds) override {
        notes_.push_back(std::string("called ") + (c.kind == lab::Callback::Timer ? "timer" : c.of) +
                         (seconds >= 0 ? "" : " in negative time"));
    }
    void added(const lab::IFileDescriptor& d, bool reader) override {
        notes_.push_back((reader ? "addReader " : "addWriter ") + d.logPrefix());
    }
    void removed(const lab::IFileDescriptor& d, bool reader) override {
        notes_.push_back((reader ? "removeReader " : "removeWriter ") + d.logPrefix());
    }
    void scheduled(const lab::DelayedCall& call, double) override {
        notes_.push_back("callLater " + std::to_string(call.timer()));
    }
    void cancelled(const lab::DelayedCall& call) override { notes_.push_back("cancel " + std::to_string(call.timer())); }

private:
    std::vector<std::string>& notes_;
};

}  // namespace

TEST_CASE_FIXTURE(OneReader, "observers are told what the reactor does, in order, and change nothing") {
    std::vector<std::string> notes;
    reactor.watch(std::make_unique<Notes>(notes));
    reader.on_read = [&](Recorder&) -> lab::ReadResult { return lab::CONNECTION_DONE; };
    reader.on_lost = [&] { reactor.stop(); };
    auto never = reactor.callLater(10, [] {});
    reactor.addReader(&reader);
    pair.send("x");
    reactor.run();
    never->cancel();
    CHECK(notes == std::vector<std::string>{"callLater 1", "addReader r", "running", "calling r", "removeReader r",
                                            "stopping", "called r", "stopped", "cancel 1"});
    CHECK(events == std::vector<std::string>{"r.doRead", "r.connectionLost(done)"});
}

TEST_CASE("getDelayedCalls lists the calls still pending") {
    lab::Reactor reactor;
    auto a = reactor.callLater(5, [] {});
    auto b = reactor.callLater(6, [] {});
    CHECK(reactor.getDelayedCalls() == std::vector<std::shared_ptr<lab::DelayedCall>>{a, b});
    a->cancel();
    CHECK(reactor.getDelayedCalls() == std::vector<std::shared_ptr<lab::DelayedCall>>{b});
}
