#include "task.hpp"

#include <cmath>

namespace lab {

LoopingCall::LoopingCall(Reactor& reactor, std::function<void()> f) : reactor_(reactor), f_(std::move(f)) {}

LoopingCall::~LoopingCall() { stop(); }

void LoopingCall::start(double interval, bool now) {
    if (running_) throw Error("LoopingCall.start: it is running already");
    if (!std::isfinite(interval) || interval < 0)
        throw Error("LoopingCall.start needs an interval of 0 seconds or more, not " + std::to_string(interval));
    interval_ = interval;
    starttime_ = reactor_.seconds();
    running_ = true;
    if (now)
        fire();
    else
        scheduleFrom(starttime_);
}

void LoopingCall::stop() {
    running_ = false;
    if (call && call->active()) call->cancel();
    call.reset();
}

void LoopingCall::fire() {
    f_();  // if it throws, the reactor stops (and with it this loop)
    if (running_) scheduleFrom(reactor_.seconds());
}

// The next point of the grid starttime + k * interval after `when`.
void LoopingCall::scheduleFrom(double when) {
    double until_next = interval_;
    if (interval_ > 0) {
        until_next = interval_ - std::fmod(when - starttime_, interval_);
        if (when + until_next == when) until_next = interval_;  // too small to move the clock
    }
    call = reactor_.callLater(until_next, [this] { fire(); });
}

}  // namespace lab
