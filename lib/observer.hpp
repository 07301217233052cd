// What the reactor tells whoever watches it. Twisted's _doReadOrWrite is a
// try, the call, and a disconnect when the call says the connection is
// over; logging, timing and debugging sit outside it. Ours too: the lab's
// instruments (instruments.hpp: the trace, the slow-callback warning, step
// mode, the heartbeat) are observers, each in its own file, and the reactor
// only tells them what happens.
#pragma once

#include <string>

namespace lab {

class DelayedCall;
class IFileDescriptor;
class Reactor;

// One callback the reactor is making: a descriptor's doRead or doWrite, or
// a DelayedCall's callable. Named before the call: by the time it returns
// the descriptor may be gone (connectionLost, then deleted).
struct Callback {
    enum Kind { DoRead, DoWrite, Timer } kind = DoRead;
    const IFileDescriptor* descriptor = nullptr;  // for DoRead and DoWrite
    std::string of;                                // its logPrefix(): "Task 2"
    int fd = -1;
    long long timer = 0;                           // for Timer: DelayedCall::timer()
};

class ReactorObserver {
public:
    virtual ~ReactorObserver() = default;

    // run() begins, and returns (also after an exception).
    virtual void running(Reactor&) {}
    virtual void stopped(Reactor&) {}
    // stop() was called; a stop signal reached the loop (stop() follows).
    virtual void stopping() {}
    virtual void interrupted() {}

    // A turn of the loop: the reactor is about to wait until something is
    // ready; something is (before the turn's first callback); the turn is over.
    virtual void waiting(Reactor&, int /*turn*/) {}
    virtual void woke(Reactor&, int /*turn*/) {}
    virtual void turned(Reactor&, int /*turn*/) {}

    // A callback is about to run; it has returned, after `seconds`.
    virtual void calling(const Callback&) {}
    virtual void called(const Callback&, double /*seconds*/) {}

    // IReactorFDSet and IReactorTime, as they are used.
    virtual void added(const IFileDescriptor&, bool /*reader*/) {}
    virtual void removed(const IFileDescriptor&, bool /*reader*/) {}
    virtual void scheduled(const DelayedCall&, double /*delay*/) {}
    virtual void cancelled(const DelayedCall&) {}
    virtual void moved(const DelayedCall&, double /*delay*/) {}
};

}  // namespace lab
