// A reactor with Twisted's names over libevent's event_base, so that our
// clients read one to one against the chapter's Python (Part 4, "Twisted
// Interfaces"). What Twisted calls             is here, over libevent's
//   reactor.addReader / removeReader          event_new(EV_READ|EV_PERSIST) + event_add / event_free
//   reactor.addWriter / removeWriter          the same with EV_WRITE
//   reactor.getReaders / getWriters           our own lists (with the waker, as Twisted's)
//   reactor.callLater -> DelayedCall          evtimer_new + event_add(timeval)
//   DelayedCall.cancel / active               event_del / our own state
//   reactor.run / reactor.stop                event_base_loop / event_base_loopbreak
#pragma once

#include "observer.hpp"
#include "output.hpp"

#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct event;
struct event_base;

namespace lab {

// RAII for libevent's objects: event_free / event_base_free when they go.
struct EventFree {
    void operator()(struct event* ev) const;
};
struct EventBaseFree {
    void operator()(event_base* base) const;
};
using EventPtr = std::unique_ptr<struct event, EventFree>;
using EventBasePtr = std::unique_ptr<event_base, EventBaseFree>;

// twisted.internet.main.CONNECTION_DONE and CONNECTION_LOST: why a
// descriptor is leaving the reactor, handed to its connectionLost.
struct Failure {
    enum Kind { ConnectionDone, ConnectionLost } kind;
    std::string message;

    bool clean() const { return kind == ConnectionDone; }
    // The same failure with the reason spelt out ("Connection reset by peer").
    Failure because(std::string why) const { return Failure{kind, std::move(why)}; }
};
extern const Failure CONNECTION_DONE;  // the other side closed, cleanly
extern const Failure CONNECTION_LOST;  // an error ended the connection

// What doRead and doWrite return, as in Twisted: nothing (std::nullopt) while
// the connection goes on; a Failure when it is over, after which the reactor
// removes the descriptor and calls its connectionLost with that Failure.
using ReadResult = std::optional<Failure>;

// twisted.internet.interfaces, the chain the chapter walks through:
// ILoggingContext <- IFileDescriptor <- IReadDescriptor / IWriteDescriptor.
// (Virtual bases, so one object can be both a reader and a writer.)
class ILoggingContext {
public:
    virtual ~ILoggingContext() = default;
    virtual std::string logPrefix() const = 0;
};

class IFileDescriptor : public virtual ILoggingContext {
public:
    virtual int fileno() const = 0;
    virtual void connectionLost(const Failure& reason) = 0;
};

class IReadDescriptor : public virtual IFileDescriptor {
public:
    virtual ReadResult doRead() = 0;  // some data is available for reading
};

class IWriteDescriptor : public virtual IFileDescriptor {
public:
    virtual ReadResult doWrite() = 0;  // the descriptor can take more data
};

// twisted.internet.error.AlreadyCalled / AlreadyCancelled.
class AlreadyCalled : public Error {
public:
    AlreadyCalled() : Error("AlreadyCalled: this DelayedCall has already run") {}
};
class AlreadyCancelled : public Error {
public:
    AlreadyCancelled() : Error("AlreadyCancelled: this DelayedCall was cancelled") {}
};

// twisted.internet.error.ReactorNotRunning.
class ReactorNotRunning : public Error {
public:
    ReactorNotRunning() : Error("ReactorNotRunning: stop() called while the reactor is not running") {}
};

class Reactor;

// What callLater returns: keep it to cancel the call, or move it.
class DelayedCall : public std::enable_shared_from_this<DelayedCall> {
public:
    ~DelayedCall();
    DelayedCall(const DelayedCall&) = delete;
    DelayedCall& operator=(const DelayedCall&) = delete;

    bool active() const { return state_ == Pending; }  // neither run nor cancelled
    void cancel();                          // throws AlreadyCalled / AlreadyCancelled
    void reset(double secondsFromNow);      // run it that long from now instead
    void delay(double secondsLater);        // push it back by that much
    double getTime() const { return time_; }  // when it runs, on reactor.seconds()'s clock
    long long timer() const { return id_; }   // which call this is: 1 for the reactor's first ...

private:
    friend class Reactor;
    enum State { Pending, Called, Cancelled };
    DelayedCall(Reactor& reactor, double time, std::function<void()> callable);
    void schedule();
    void check_active() const;
    static void on_timeout_cb(int fd, short what, void* arg);

    Reactor* reactor_;
    EventPtr event_;  // set while the call is pending
    std::function<void()> callable_;
    double time_;
    State state_ = Pending;
    long long id_ = 0;
};

struct Options;

class Reactor {
public:
    Reactor();
    // A reactor that the lab's instruments watch, as the command line asked
    // (--trace, --slow-callback, --heartbeat, --step: instruments.hpp).
    // They are observers, told what the reactor does; none of them is part
    // of what it does.
    explicit Reactor(const Options& options);
    ~Reactor();
    Reactor(const Reactor&) = delete;
    Reactor& operator=(const Reactor&) = delete;

    // IReactorFDSet. The reactor does not own the descriptors: a reader must
    // outlive its registration (remove it, or let connectionLost happen).
    // getReaders() always lists the reactor's own waker too (see waker()),
    // as Twisted's lists its _UnixWaker: "no reader left" never happens, so
    // a client asks whether any reader of *its* kind is left.
    void addReader(IReadDescriptor* reader);
    void addWriter(IWriteDescriptor* writer);
    void removeReader(IReadDescriptor* reader);  // no-op if it is not there
    void removeWriter(IWriteDescriptor* writer);
    std::vector<IReadDescriptor*> getReaders() const;
    std::vector<IWriteDescriptor*> getWriters() const;

    // IReactorTime.
    std::shared_ptr<DelayedCall> callLater(double seconds, std::function<void()> callable);
    std::vector<std::shared_ptr<DelayedCall>> getDelayedCalls() const;  // the pending ones
    double seconds() const;  // a monotonic clock, in seconds

    // IReactorCore. run() keeps going until stop(), like Twisted's; stop()
    // outside run() throws ReactorNotRunning, like Twisted's. stop() is the
    // only way out of run(): Ctrl-C calls it (through the waker), and so
    // does an exception escaping a callback.
    void run();
    void stop();
    bool running() const { return running_; }

    // Twisted's reactor.waker: the reader of a pipe through which Ctrl-C
    // (and SIGTERM) reach the loop. It is registered from the start, like
    // any reader, and it is what keeps run() waiting when no poem is left.
    IReadDescriptor* waker();

    // Someone to tell what the reactor does (observer.hpp); the reactor
    // keeps it for as long as it lives.
    void watch(std::unique_ptr<ReactorObserver> observer);

private:
    friend class DelayedCall;
    struct Watch;
    void add(std::vector<std::unique_ptr<Watch>>& list, IFileDescriptor* descriptor,
             IReadDescriptor* reader, IWriteDescriptor* writer, short what);
    void remove(std::vector<std::unique_ptr<Watch>>& list, const IFileDescriptor* descriptor);
    void doReadOrWrite(Watch* watch);
    void forget(DelayedCall* call);
    void woke();  // the turn's wait is over: something is ready
    // Tells every observer: observer->*what(args...).
    template <typename Method, typename... Args>
    void tell(Method what, Args&&... args);
    // Runs a callback from libevent: an exception must not unwind through
    // libevent's C frames, so it is kept, the reactor stops, and run()
    // rethrows it to the caller.
    template <typename Code>
    void call(Callback::Kind kind, const IFileDescriptor* descriptor, const DelayedCall* timer,
              Code&& code) noexcept;
    static void on_io_cb(int fd, short what, void* arg);
    class Waker;

    EventBasePtr base_;
    std::unique_ptr<Waker> waker_;
    std::vector<std::unique_ptr<ReactorObserver>> observers_;
    std::vector<std::unique_ptr<Watch>> readers_;
    std::vector<std::unique_ptr<Watch>> writers_;
    std::vector<std::shared_ptr<DelayedCall>> pending_calls_;
    long long timers_made_ = 0;
    int turn_ = 0;
    bool running_ = false;
    bool stopping_ = false;  // stop() was called: this turn is the last
    bool waiting_ = false;   // inside libevent, waiting for something to be ready
    std::exception_ptr error_;
};

}  // namespace lab
