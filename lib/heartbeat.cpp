// --heartbeat SECONDS: a LoopingCall (task.hpp) that ticks every SECONDS
// while the reactor runs, and notes how late each tick came: in the --trace
// record as a `heartbeat` instant with `late`, and, for a tick later than
// one interval, on stderr:
//   heartbeat: the reactor was 1.903 s late
// While a callback holds the loop no tick can run: the demo shows it.
#include "instruments.hpp"
#include "output.hpp"
#include "task.hpp"

#include <cstdio>

namespace lab {

namespace {

class Heartbeat final : public ReactorObserver {
public:
    Heartbeat(Reactor& reactor, double interval, std::shared_ptr<trace::Recorder> recorder)
        : reactor_(reactor), interval_(interval), record_(std::move(recorder)),
          ticks_(reactor, [this] { note(reactor_.seconds() - ticks_.call->getTime()); }) {}

    void running(Reactor&) override { ticks_.start(interval_, /*now=*/false); }

    void stopped(Reactor&) override {
        if (!ticks_.running()) return;
        // A tick that was due but never got to run (the callback holding
        // the loop was the last one) is late all the same: say so.
        if (ticks_.call && ticks_.call->active()) {
            double late = reactor_.seconds() - ticks_.call->getTime();
            if (late > interval_) note(late);
        }
        ticks_.stop();
    }

private:
    void note(double late) {
        if (record_) record_->instant(trace::Event::heartbeat, 0, {trace::Arg("late", late)});
        if (late > interval_) {
            char text[32];
            std::snprintf(text, sizeof text, "%.3f", late);
            warn("heartbeat: the reactor was ", text, " s late");
        }
    }

    Reactor& reactor_;
    double interval_;
    std::shared_ptr<trace::Recorder> record_;
    LoopingCall ticks_;
};

}  // namespace

std::unique_ptr<ReactorObserver> heartbeat(Reactor& reactor, double interval,
                                           std::shared_ptr<trace::Recorder> recorder) {
    return std::make_unique<Heartbeat>(reactor, interval, std::move(recorder));
}

}  // namespace lab
