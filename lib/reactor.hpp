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

private:
    friend class Reactor;
    enum State { Pending, Called, Cancelled };
    DelayedCall(Reactor& reactor, double time, std::function<void()> callable, const char* name);
    void schedule();
    void check_active() const;
    static void on_timeout_cb(int fd, short what, void* arg);

    Reactor* reactor_;
    EventPtr event_;  // set while the call is pending
    std::function<void()> callable_;
    double time_;
    State state_ = Pending;
    long long id_ = 0;  // names the timer in the --trace record
    const char* name_;  // "callLater", or "heartbeat" for the reactor's own
};

// What the reactor clients' command line asks of the reactor (cli.hpp).
struct ReactorOptions {
    // --slow-callback SECONDS: asyncio's slow-callback warning, for
    // teaching. When a doRead, doWrite or callLater callable runs longer
    // than this, say on stderr
    //   Task 2 doRead blocked the reactor for 1.234 s
    //   Task 2 doRead (fd 7, 127.0.0.1:10001) blocked the reactor for 1.234 s
    // Nothing else could run meanwhile: that is the broken client's problem.
    std::optional<double> slow_callback;
    // --heartbeat SECONDS: a callLater ticker that re-arms itself. Each tick
    // goes into the --trace record as a `heartbeat` instant with `late` (how
    // long after it was due it ran); a tick later than one interval also
    // says on stderr: heartbeat: the reactor was 1.903 s late
    // While a callback holds the loop, the ticks stop: the demo shows it.
    std::optional<double> heartbeat;
    // --step: before each turn of the loop, wait for a line on stdin; after
    // it, say on stderr what was ready (step 3: ready Task 1, Task 3). At
    // the end of stdin the loop runs on freely.
    bool step = false;
};

class Reactor {
public:
    explicit Reactor(ReactorOptions options = {});
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
    double seconds() const;  // a monotonic clock, in seconds

    // IReactorCore. run() keeps going until stop(), like Twisted's; stop()
    // outside run() throws ReactorNotRunning, like Twisted's.
    void run();
    void stop();
    bool running() const { return running_; }

    // Twisted's reactor.waker: the reader of a pipe through which Ctrl-C
    // (and SIGTERM) reach the loop. It is registered from the start, like
    // any reader, and it is what keeps run() waiting when no poem is left.
    IReadDescriptor* waker();

private:
    friend class DelayedCall;
    struct Watch;
    void add(std::vector<std::unique_ptr<Watch>>& list, IFileDescriptor* descriptor,
             IReadDescriptor* reader, IWriteDescriptor* writer, short what);
    void remove(std::vector<std::unique_ptr<Watch>>& list, const IFileDescriptor* descriptor);
    void doReadOrWrite(Watch* watch);
    void forget(DelayedCall* call);
    std::shared_ptr<DelayedCall> schedule(const char* name, double seconds, std::function<void()> callable);
    void beat(double interval, double due);  // --heartbeat: the tick due then
    void noteHeartbeat(double late, double interval);
    void endWait();                       // the turn's wait in libevent is over
    bool waitForStep();                   // --step: false at the end of stdin
    // Runs a piece of user code from a libevent callback: an exception must
    // not unwind through libevent's C frames, so it is kept, the loop stops,
    // and run() rethrows it to the caller.
    template <typename Code>
    void guarded(const char* what, const IFileDescriptor* descriptor, long long timer,
                 Code&& code) noexcept;
    static void on_io_cb(int fd, short what, void* arg);
    class Waker;

    EventBasePtr base_;
    std::unique_ptr<Waker> waker_;
    std::vector<std::unique_ptr<Watch>> readers_;
    std::vector<std::unique_ptr<Watch>> writers_;
    std::vector<std::shared_ptr<DelayedCall>> pending_calls_;
    long long timers_made_ = 0;
    bool running_ = false;
    bool stopping_ = false;   // stop() was called: this turn is the last
    bool waiting_ = false;    // inside libevent, waiting for something to be ready
    long long wait_started_us_ = 0;
    std::vector<std::string> turn_ran_;  // --step: what this turn called
    std::shared_ptr<DelayedCall> heartbeat_;
    ReactorOptions options_;
    std::exception_ptr error_;
};

}  // namespace lab
