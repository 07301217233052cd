// --heartbeat SECONDS: a LoopingCall (task.hpp) that ticks every SECONDS
// while the reactor runs, and notes how late each tick came: in the --trace
// record as a `heartbeat` instant with `late`, and, for a tick later than
// one interval, on stderr:
//   heartbeat: the reactor was 1.903 s late
// While a callback holds the loop no tick can run: the demo shows it.
//
// Typed by hand on a terminal, a heartbeat that only ever speaks when
// something went wrong looks like one that does nothing. So when stderr is
// a terminal it also keeps one live line at the bottom, rewritten in place,
//    heartbeat: 12 ticks, on time
// and the late warning stands out (reverse video) on a line of its own.
// Through a pipe (the demo, the tests, a log) only the warnings come, plain.
#include "instruments.hpp"
#include "output.hpp"
#include "task.hpp"

#include <cstdio>
#include <string>

#include <unistd.h>

namespace lab {

namespace {

// Terminal escapes (ECMA-48): back to the start of the line, then erase to
// its end; reverse video on, and every attribute off again. Reverse video
// is no colour, so NO_COLOR (no-color.org) has nothing to say about it.
constexpr const char* kClearLine = "\r\033[K";
constexpr const char* kReverse = "\033[7m";
constexpr const char* kPlain = "\033[0m";

class Heartbeat final : public ReactorObserver {
public:
    Heartbeat(Reactor& reactor, double interval, std::shared_ptr<trace::Recorder> recorder)
        : reactor_(reactor), interval_(interval), record_(std::move(recorder)),
          terminal_(::isatty(2) == 1),
          ticks_(reactor, [this] { note(reactor_.seconds() - ticks_.call->getTime()); }) {}

    void running(Reactor&) override { ticks_.start(interval_, /*now=*/false); }

    // The live line is up while the loop waits, and only then: every
    // callback may print (the clients' `Task 1: got ...` on stdout, the
    // same terminal), and a line printed after ours, with no newline
    // between, would run into it. So it goes when the loop wakes, before
    // the turn's first callback, and comes back, below what the turn
    // printed, when the loop waits again.
    void waiting(Reactor&, int) override { show(); }
    void woke(Reactor&, int) override { hide(); }

    void stopped(Reactor&) override {
        if (ticks_.running()) {
            // A tick that was due but never got to run (the callback
            // holding the loop was the last one) is late all the same: say so.
            if (ticks_.call && ticks_.call->active()) {
                double late = reactor_.seconds() - ticks_.call->getTime();
                if (late > interval_) note(late);
            }
            ticks_.stop();
        }
        // Nothing half-written before the program's closing lines.
        hide();
    }

private:
    void note(double late) {
        if (record_) record_->instant(trace::Event::heartbeat, 0, {trace::Arg("late", late)});
        ++ticked_;
        if (late > interval_) {
            ++late_;
            char text[32];
            std::snprintf(text, sizeof text, "%.3f", late);
            if (terminal_) {
                hide();
                warn(kReverse, "heartbeat: the reactor was ", text, " s late", kPlain);
            } else {
                warn("heartbeat: the reactor was ", text, " s late");
            }
        }
    }

    // Written with no newline, so that the next one can take its place.
    void show() {
        if (!terminal_) return;
        std::string line = joined(kClearLine, " heartbeat: ", ticked_, ticked_ == 1 ? " tick" : " ticks");
        line += late_ == 0 ? ", on time" : joined(", ", late_, " late (above)");
        std::fputs(line.c_str(), stderr);
        std::fflush(stderr);
        showing_ = true;
    }

    void hide() {
        if (!showing_) return;
        std::fputs(kClearLine, stderr);
        std::fflush(stderr);
        showing_ = false;
    }

    Reactor& reactor_;
    double interval_;
    std::shared_ptr<trace::Recorder> record_;
    bool terminal_;         // stderr is a terminal: the live line, highlighted warnings
    bool showing_ = false;  // the live line is on the screen now
    long ticked_ = 0;       // ticks so far, late ones included
    long late_ = 0;
    LoopingCall ticks_;
};

}  // namespace

std::unique_ptr<ReactorObserver> heartbeat(Reactor& reactor, double interval,
                                           std::shared_ptr<trace::Recorder> recorder) {
    return std::make_unique<Heartbeat>(reactor, interval, std::move(recorder));
}

}  // namespace lab
