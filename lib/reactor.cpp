#include "reactor.hpp"

#include "net.hpp"
#include "stop.hpp"
#include "trace.hpp"

#include <event2/event.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <unistd.h>

namespace lab {

void EventFree::operator()(struct event* ev) const { event_free(ev); }
void EventBaseFree::operator()(event_base* base) const { event_base_free(base); }

const Failure CONNECTION_DONE{Failure::ConnectionDone, "Connection was closed cleanly."};
const Failure CONNECTION_LOST{Failure::ConnectionLost, "Connection to the other side was lost."};

// One registration: which object, which direction, and its libevent event.
struct Reactor::Watch {
    Reactor* reactor;
    IFileDescriptor* descriptor;
    IReadDescriptor* reader;   // set for addReader
    IWriteDescriptor* writer;  // set for addWriter
    EventPtr event;
};

namespace {

// The longest delay callLater takes: a year. Longer ones would overflow
// the conversions below, and no lesson waits that long.
constexpr double kMaxDelay = 365 * 24 * 3600.0;

void check_delay(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0 || seconds > kMaxDelay)
        throw Error("callLater needs a delay from 0 to a year in seconds, not " + std::to_string(seconds));
}

timeval to_timeval(double seconds) {
    if (!(seconds > 0)) seconds = 0;  // also catches NaN: "now"
    double whole = std::floor(seconds);
    return timeval{static_cast<time_t>(whole), static_cast<suseconds_t>((seconds - whole) * 1e6)};
}

}  // namespace

// Twisted's _UnixWaker. Like Twisted's reactor, ours turns Ctrl-C (and
// SIGTERM) into stop(): run() returns, the program prints what it has,
// and run_main exits 130 (143). The signal handler (stop.cpp) notes the
// signal and writes a byte to this pipe; the waker, a reader like any
// other, reads it and stops the loop from inside it, where that is safe.
// (libevent's own evsignal works the same way, but restarts an interrupted
// recv(), so a callback blocked in recv() would never return.)
class Reactor::Waker final : public IReadDescriptor {
public:
    explicit Waker(Reactor& reactor) : reactor_(reactor) {
        if (pipe2(pipe_, O_NONBLOCK | O_CLOEXEC) != 0)
            throw Error(std::string("pipe2 failed: cannot catch Ctrl-C: ") + std::strerror(errno));
    }
    ~Waker() override {
        for (int fd : pipe_) ::close(fd);
    }
    Waker(const Waker&) = delete;
    Waker& operator=(const Waker&) = delete;

    int write_end() const { return pipe_[1]; }
    int fileno() const override { return pipe_[0]; }
    std::string logPrefix() const override { return "Waker"; }
    void connectionLost(const Failure&) override {}
    ReadResult doRead() override {
        char drain[64];
        while (::read(pipe_[0], drain, sizeof drain) > 0) {
        }
        if (stop_requested() && reactor_.running()) reactor_.stop();
        return std::nullopt;  // the waker stays for as long as the reactor does
    }

private:
    Reactor& reactor_;
    int pipe_[2] = {-1, -1};
};

Reactor::Reactor(ReactorOptions options) : base_(event_base_new()), options_(options) {
    if (!base_) throw Error("event_base_new failed: libevent could not make a reactor");
    trace::name_loop_track("reactor");
    // Ctrl-C is caught from here on, not only inside run(): a client
    // interrupted while it connects must end as cleanly as one that reads.
    // The pipe is made now, before the connects use up the descriptors.
    waker_ = std::make_unique<Waker>(*this);
    addReader(waker_.get());
    catch_stop_signals_waking(waker_->write_end());
}

IReadDescriptor* Reactor::waker() { return waker_.get(); }

Reactor::~Reactor() {
    // A DelayedCall may outlive us in somebody's shared_ptr; its event may
    // not outlive the event_base, so it goes now.
    for (auto& call : pending_calls_) {
        call->event_.reset();
        call->callable_ = nullptr;  // what it captured goes now, not with the last handle
        call->state_ = DelayedCall::Cancelled;
        call->reactor_ = nullptr;
    }
    catch_stop_signals_waking(-1);
    readers_.clear();  // the waker's event goes before the waker
    writers_.clear();
}

// --- IReactorFDSet ----------------------------------------------------------

void Reactor::add(std::vector<std::unique_ptr<Watch>>& list, IFileDescriptor* descriptor,
                  IReadDescriptor* reader, IWriteDescriptor* writer, short what) {
    for (const auto& watch : list)
        if (watch->descriptor == descriptor) return;  // a set, as in Twisted
    trace::instant(reader ? "addReader" : "addWriter",
                   {trace::Arg("of", descriptor->logPrefix()), trace::Arg("fd", descriptor->fileno())});
    auto watch = std::make_unique<Watch>(Watch{this, descriptor, reader, writer, nullptr});
    // EV_PERSIST: stay registered after each callback, like a Twisted reader,
    // until removeReader. Without it libevent would call us once.
    watch->event.reset(event_new(base_.get(), descriptor->fileno(), static_cast<short>(what | EV_PERSIST),
                                 &Reactor::on_io_cb, watch.get()));
    if (!watch->event) throw Error("event_new failed for descriptor " + std::to_string(descriptor->fileno()));
    if (event_add(watch->event.get(), nullptr) != 0)
        throw Error("event_add failed for descriptor " + std::to_string(descriptor->fileno()));
    list.push_back(std::move(watch));
}

void Reactor::remove(std::vector<std::unique_ptr<Watch>>& list, const IFileDescriptor* descriptor) {
    // event_free (in the Watch's EventPtr) first makes the event non-pending
    // and inactive, so a removed reader is never called again, not even for
    // a readiness libevent had already noticed in this round.
    if (std::erase_if(list, [&](const auto& watch) { return watch->descriptor == descriptor; }) > 0)
        trace::instant(&list == &readers_ ? "removeReader" : "removeWriter",
                       {trace::Arg("of", descriptor->logPrefix())});
}

void Reactor::addReader(IReadDescriptor* reader) { add(readers_, reader, reader, nullptr, EV_READ); }
void Reactor::addWriter(IWriteDescriptor* writer) { add(writers_, writer, nullptr, writer, EV_WRITE); }
void Reactor::removeReader(IReadDescriptor* reader) { remove(readers_, reader); }
void Reactor::removeWriter(IWriteDescriptor* writer) { remove(writers_, writer); }

std::vector<IReadDescriptor*> Reactor::getReaders() const {
    std::vector<IReadDescriptor*> readers;
    for (const auto& watch : readers_) readers.push_back(watch->reader);
    return readers;
}

std::vector<IWriteDescriptor*> Reactor::getWriters() const {
    std::vector<IWriteDescriptor*> writers;
    for (const auto& watch : writers_) writers.push_back(watch->writer);
    return writers;
}

void Reactor::on_io_cb(evutil_socket_t, short, void* arg) {
    auto* watch = static_cast<Watch*>(arg);
    watch->reactor->doReadOrWrite(watch);
}

// Twisted's _doReadOrWrite and _disconnectSelectable: call doRead (or
// doWrite); if it says the connection is over, take the descriptor out of
// the reactor in both directions, then tell it through connectionLost.
void Reactor::doReadOrWrite(Watch* watch) {
    // Ctrl-C arrived in this round: other sockets may be ready too, and a
    // blocking doRead (the broken client's) would hold us up for a whole
    // poem before the wake pipe's turn came. Stop now.
    if (stop_requested()) {
        trace::instant("interrupted");  // what happens from here on is the program being stopped
        event_base_loopbreak(base_.get());
        return;
    }
    // Copy what we need: doRead may remove its own registration, and with
    // it the Watch we were handed.
    IFileDescriptor* descriptor = watch->descriptor;
    IReadDescriptor* reader = watch->reader;
    IWriteDescriptor* writer = watch->writer;
    const char* what = reader ? "doRead" : "doWrite";
    guarded(what, descriptor, 0, [&] {
        trace::callback_started(what);
        ReadResult why = reader ? reader->doRead() : writer->doWrite();
        if (!why) return;
        remove(readers_, descriptor);
        remove(writers_, descriptor);
        descriptor->connectionLost(*why);
    });
}

// --- IReactorTime -----------------------------------------------------------

double Reactor::seconds() const {
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}

std::shared_ptr<DelayedCall> Reactor::callLater(double delay, std::function<void()> callable) {
    return schedule("callLater", delay, std::move(callable));
}

std::shared_ptr<DelayedCall> Reactor::schedule(const char* name, double delay, std::function<void()> callable) {
    check_delay(delay);
    std::shared_ptr<DelayedCall> call(new DelayedCall(*this, seconds() + delay, std::move(callable), name));
    call->id_ = ++timers_made_;
    trace::instant("callLater", {trace::Arg("timer", call->id_), trace::Arg("delay", delay),
                                 trace::Arg("for", name)});
    // evtimer_new: an event with no descriptor, that only a timeout wakes.
    call->event_.reset(evtimer_new(base_.get(), &DelayedCall::on_timeout_cb, call.get()));
    if (!call->event_) throw Error("evtimer_new failed");
    call->schedule();
    pending_calls_.push_back(call);  // the reactor keeps it alive until it runs
    return call;
}

void Reactor::forget(DelayedCall* call) {
    std::erase_if(pending_calls_, [&](const auto& pending) { return pending.get() == call; });
}

DelayedCall::DelayedCall(Reactor& reactor, double time, std::function<void()> callable, const char* name)
    : reactor_(&reactor), callable_(std::move(callable)), time_(time), name_(name) {}

DelayedCall::~DelayedCall() = default;

void DelayedCall::schedule() {
    timeval timeout = to_timeval(time_ - reactor_->seconds());
    // event_add on a pending timer moves it: that is all reset() needs.
    if (event_add(event_.get(), &timeout) != 0) throw Error("event_add failed for a timer");
}

void DelayedCall::check_active() const {
    if (state_ == Called) throw AlreadyCalled();
    if (state_ == Cancelled) throw AlreadyCancelled();
}

void DelayedCall::cancel() {
    check_active();
    trace::instant("cancel", {trace::Arg("timer", id_)});
    state_ = Cancelled;
    event_.reset();       // event_free: event_del, then gone
    callable_ = nullptr;  // as Twisted does: what it captured can go now
    Reactor* reactor = reactor_;
    reactor_ = nullptr;
    reactor->forget(this);  // may drop the last reference: nothing after this line
}

void DelayedCall::reset(double secondsFromNow) {
    check_active();
    check_delay(secondsFromNow);
    time_ = reactor_->seconds() + secondsFromNow;
    trace::instant("reset", {trace::Arg("timer", id_), trace::Arg("delay", secondsFromNow)});
    schedule();
}

void DelayedCall::delay(double secondsLater) {
    check_active();
    check_delay(time_ + secondsLater - reactor_->seconds());
    time_ += secondsLater;
    trace::instant("reset", {trace::Arg("timer", id_), trace::Arg("delay", time_ - reactor_->seconds())});
    schedule();
}

void DelayedCall::on_timeout_cb(evutil_socket_t, short, void* arg) {
    auto* call = static_cast<DelayedCall*>(arg);
    Reactor* reactor = call->reactor_;
    reactor->guarded(call->name_, nullptr, call->id_, [call, reactor] {
        // Hold a reference: the reactor lets go of the call right here, and
        // the callable may drop the caller's own.
        std::shared_ptr<DelayedCall> self = call->shared_from_this();
        std::function<void()> callable = std::move(call->callable_);
        call->state_ = Called;
        call->event_.reset();  // a one-shot timer may be freed in its own callback
        call->reactor_ = nullptr;
        reactor->forget(call);
        trace::callback_started(call->name_);
        callable();
    });
}

// --- IReactorCore -----------------------------------------------------------

// Every entry from libevent into our code goes through here (noexcept: a
// C++ exception must never unwind through libevent's C frames).
template <typename Code>
void Reactor::guarded(const char* what, const IFileDescriptor* descriptor, long long timer,
                      Code&& code) noexcept {
    bool began = false;
    try {
        endWait();
        // Ask for the name first: after the callback the descriptor may be gone.
        bool named = descriptor && (options_.slow_callback || options_.step || trace::recording());
        std::string of = named ? descriptor->logPrefix() : "";
        if (options_.step) turn_ran_.push_back(of.empty() ? what : of);
        // Who it was, for the slow-callback warning: "(fd 5, 127.0.0.1:10000)".
        std::string where;
        if (options_.slow_callback && descriptor) {
            where = " (fd " + std::to_string(descriptor->fileno());
            if (auto peer = peer_address(descriptor->fileno())) where += ", " + format_address(*peer);
            where += ")";
        }
        // The callback as a slice on the reactor's track of the --trace
        // record: while it lasts nothing else can run, and the exercise
        // checker measures exactly that.
        if (descriptor)
            trace::begin(what, {trace::Arg("of", of), trace::Arg("fd", descriptor->fileno())});
        else if (timer > 0)
            trace::begin(what, {trace::Arg("timer", timer)});
        else
            trace::begin(what);
        began = true;
        auto start = std::chrono::steady_clock::now();
        code();
        trace::end();
        began = false;
        if (options_.slow_callback) {
            double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            if (took > *options_.slow_callback) {
                char seconds[32];
                std::snprintf(seconds, sizeof seconds, "%.3f", took);
                warn(of, of.empty() ? "" : " ", what, where, " blocked the reactor for ", seconds, " s");
            }
        }
    } catch (...) {
        if (began) trace::end();
        if (!error_) error_ = std::current_exception();
        event_base_loopbreak(base_.get());
    }
}

void Reactor::run() {
    if (running_) throw Error("ReactorAlreadyRunning: run() called from inside run()");
    if (stop_requested()) return;  // Ctrl-C came before the loop did
    running_ = true;
    stopping_ = false;
    trace::instant("run");
    if (options_.heartbeat) beat(*options_.heartbeat, seconds() + *options_.heartbeat);
    bool stepping = options_.step;
    if (stepping)
        warn("step mode: one turn of the loop per line on stdin (at its end: run on)");
    // Twisted's run() goes on until stop(); libevent's event_base_dispatch()
    // returns as soon as no event is pending. Here one always is: the
    // waker's (see Waker), as in Twisted, where the waker is always among
    // the readers. That is what keeps the loop running after the last
    // poem's reader is removed, and why connectionLost must call stop().
    // EVLOOP_NO_EXIT_ON_EMPTY keeps that true even for a program that
    // removes the waker too: stop() is the only way out.
    //
    // We go one turn at a time (EVLOOP_ONCE: wait until something is ready,
    // run every callback that is, return), so that the --trace record can
    // show where the loop waits, and --step can pause between turns.
    int rc = 0;
    for (int turn = 1; !stopping_ && !stop_requested() && !error_ && rc >= 0; ++turn) {
        if (stepping) stepping = waitForStep();
        if (stop_requested()) break;
        turn_ran_.clear();
        waiting_ = true;
        wait_started_us_ = trace::now_us();
        rc = event_base_loop(base_.get(), EVLOOP_ONCE | EVLOOP_NO_EXIT_ON_EMPTY);
        endWait();
        if (rc == 1) break;  // nothing to wait for: dispatch would end here (never, with our flags)
        if (stepping && !turn_ran_.empty()) {
            std::string ran;
            for (const auto& name : turn_ran_) ran += (ran.empty() ? "" : ", ") + name;
            warn("step ", turn, ": ready ", ran);
        }
    }
    running_ = false;
    if (heartbeat_ && heartbeat_->active()) {
        // A tick that was due but never got to run (the callback holding the
        // loop was the last one) is late all the same: say so, as the tick would.
        double late = seconds() - heartbeat_->getTime();
        if (late > *options_.heartbeat) noteHeartbeat(late, *options_.heartbeat);
        heartbeat_->cancel();
    }
    heartbeat_.reset();
    if (rc < 0) throw Error("event_base_loop failed");
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
}

// The time since the turn began was spent inside libevent, waiting for any
// descriptor or timer: a `wait` slice on the reactor's track.
void Reactor::endWait() {
    if (!waiting_) return;
    waiting_ = false;
    trace::complete("wait", wait_started_us_);
}

// --heartbeat: a tick that re-arms itself, and notes how late it ran. The
// ticks keep to a fixed grid (the first due time plus whole intervals), so
// that only a held loop, never drift, makes a beat go missing.
void Reactor::beat(double interval, double due) {
    heartbeat_ = schedule("heartbeat", std::max(0.0, due - seconds()), [this, interval, due] {
        double now = seconds();
        noteHeartbeat(now - due, interval);
        double next = due + interval;
        if (next <= now) next += interval * std::ceil((now - next) / interval + 1e-9);
        if (running_ && !stopping_) beat(interval, next);
    });
}

void Reactor::noteHeartbeat(double late, double interval) {
    trace::instant("heartbeat", {trace::Arg("late", late)});
    if (late > interval) {
        char text[32];
        std::snprintf(text, sizeof text, "%.3f", late);
        warn("heartbeat: the reactor was ", text, " s late");
    }
}

// --step: a line on stdin (the instructor's Enter) before each turn.
bool Reactor::waitForStep() {
    char c = 0;
    for (;;) {
        ssize_t n = ::read(0, &c, 1);
        if (n == 1 && c == '\n') return true;
        if (n == 0) return false;  // no more lines: run freely
        if (n < 0 && errno == EINTR) return true;  // Ctrl-C: the loop's test ends it
        if (n < 0) return false;
    }
}

void Reactor::stop() {
    // As in Twisted: stopping a reactor that is not running is a mistake
    // (ReactorNotRunning), not something to remember for later. A client
    // whose every connection failed before run() must simply not run it.
    if (!running_) throw ReactorNotRunning();
    trace::instant("stop");
    stopping_ = true;
    event_base_loopbreak(base_.get());
}

}  // namespace lab
