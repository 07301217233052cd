// twisted.internet.task.LoopingCall: calls a function every `interval`
// seconds. It is built on reactor.callLater alone, as Twisted's is: the
// reactor knows only timers, and repeating is the caller's business.
//
//   lab::LoopingCall tick(reactor, [] { lab::say("tick"); });
//   tick.start(1.0);  // now, then every second, until tick.stop()
//
// The calls keep to a fixed grid from start(): one that runs late does not
// push the next ones back, and intervals missed while a callback held the
// loop are skipped, not made up for (Twisted's _scheduleFrom).
#pragma once

#include "reactor.hpp"

#include <functional>
#include <memory>

namespace lab {

class LoopingCall {
public:
    LoopingCall(Reactor& reactor, std::function<void()> f);
    ~LoopingCall();  // stops it
    LoopingCall(const LoopingCall&) = delete;
    LoopingCall& operator=(const LoopingCall&) = delete;

    // Calls f now (or, with now = false, after one interval), then every
    // `interval` seconds. Throws lab::Error if it is running already.
    void start(double interval, bool now = true);
    void stop();  // no more calls; it can be started again
    bool running() const { return running_; }
    double interval() const { return interval_; }
    double starttime() const { return starttime_; }  // on reactor.seconds()'s clock

    // Twisted's LoopingCall.call: the DelayedCall of the next run; while f
    // runs, the one that has just fired (its getTime() is when this run was
    // due, which tells how late it came).
    std::shared_ptr<DelayedCall> call;

private:
    void fire();
    void scheduleFrom(double when);

    Reactor& reactor_;
    std::function<void()> f_;
    double interval_ = 0;
    double starttime_ = 0;
    bool running_ = false;
};

}  // namespace lab
