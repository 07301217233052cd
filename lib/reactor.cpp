#include "reactor.hpp"

#include "instruments.hpp"
#include "observer.hpp"
#include "stop.hpp"

#include <event2/event.h>

#include <algorithm>
#include <chrono>
#include <cmath>
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
// and exits 130 (143). The signal handler (stop.cpp) notes the signal and
// writes a byte to this pipe; the waker, a reader like any other, reads it
// and stops the loop from inside it, where that is safe. (libevent's own
// evsignal works the same way, but restarts an interrupted recv(), so a
// callback blocked in recv() would never return.)
class Reactor::Waker final : public IReadDescriptor {
public:
    Waker() {
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
        return std::nullopt;  // the waker stays for as long as the reactor does
    }

private:
    int pipe_[2] = {-1, -1};
};

Reactor::Reactor() : base_(event_base_new()) {
    if (!base_) throw Error("event_base_new failed: libevent could not make a reactor");
    // Ctrl-C is caught from here on, not only inside run(): a client
    // interrupted while it connects must end as cleanly as one that reads.
    // The pipe is made now, before the connects use up the descriptors.
    waker_ = std::make_unique<Waker>();
    addReader(waker_.get());
    wake_on_stop_signals(waker_->write_end());
}

Reactor::Reactor(const Options& options) : Reactor() { watch_as_asked(*this, options); }

IReadDescriptor* Reactor::waker() { return waker_.get(); }

void Reactor::watch(std::unique_ptr<ReactorObserver> observer) { observers_.push_back(std::move(observer)); }

Reactor::~Reactor() {
    // The observers go first: they may hold DelayedCalls of ours (a
    // LoopingCall does), and cancelling one tells the observers, so they
    // are taken out of the list before they are destroyed.
    std::exchange(observers_, {}).clear();
    // A DelayedCall may outlive us in somebody's shared_ptr; its event may
    // not outlive the event_base, so it goes now.
    for (auto& call : pending_calls_) {
        call->event_.reset();
        call->callable_ = nullptr;  // what it captured goes now, not with the last handle
        call->state_ = DelayedCall::Cancelled;
        call->reactor_ = nullptr;
    }
    wake_on_stop_signals(-1);
    readers_.clear();  // the waker's event goes before the waker
    writers_.clear();
}

template <typename Method, typename... Args>
void Reactor::tell(Method what, Args&&... args) {
    for (auto& observer : observers_) ((*observer).*what)(args...);
}

// --- IReactorFDSet ----------------------------------------------------------

void Reactor::add(std::vector<std::unique_ptr<Watch>>& list, IFileDescriptor* descriptor,
                  IReadDescriptor* reader, IWriteDescriptor* writer, short what) {
    for (const auto& watch : list)
        if (watch->descriptor == descriptor) return;  // a set, as in Twisted
    auto watch = std::make_unique<Watch>(Watch{this, descriptor, reader, writer, nullptr});
    // EV_PERSIST: stay registered after each callback, like a Twisted reader,
    // until removeReader. Without it libevent would call us once.
    watch->event.reset(event_new(base_.get(), descriptor->fileno(), static_cast<short>(what | EV_PERSIST),
                                 &Reactor::on_io_cb, watch.get()));
    if (!watch->event) throw Error("event_new failed for descriptor " + std::to_string(descriptor->fileno()));
    if (event_add(watch->event.get(), nullptr) != 0)
        throw Error("event_add failed for descriptor " + std::to_string(descriptor->fileno()));
    list.push_back(std::move(watch));
    tell(&ReactorObserver::added, *descriptor, reader != nullptr);
}

void Reactor::remove(std::vector<std::unique_ptr<Watch>>& list, const IFileDescriptor* descriptor) {
    // event_free (in the Watch's EventPtr) first makes the event non-pending
    // and inactive, so a removed reader is never called again, not even for
    // a readiness libevent had already noticed in this round.
    if (std::erase_if(list, [&](const auto& watch) { return watch->descriptor == descriptor; }) > 0)
        tell(&ReactorObserver::removed, *descriptor, &list == &readers_);
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
    // poem before the waker's turn came. Stop now.
    if (stop_requested()) {
        woke();
        if (!stopping_) tell(&ReactorObserver::interrupted);
        stop();
        return;
    }
    // Copy what we need: doRead may remove its own registration, and with
    // it the Watch we were handed.
    IFileDescriptor* descriptor = watch->descriptor;
    IReadDescriptor* reader = watch->reader;
    IWriteDescriptor* writer = watch->writer;
    call(reader ? Callback::DoRead : Callback::DoWrite, descriptor, nullptr, [&] {
        ReadResult why = reader ? reader->doRead() : writer->doWrite();
        if (!why) return;
        remove(readers_, descriptor);
        remove(writers_, descriptor);
        descriptor->connectionLost(*why);
    });
}

// Every entry from libevent into our code goes through here (noexcept: a
// C++ exception must never unwind through libevent's C frames).
template <typename Code>
void Reactor::call(Callback::Kind kind, const IFileDescriptor* descriptor, const DelayedCall* timer,
                   Code&& code) noexcept {
    try {
        woke();
        if (observers_.empty()) {
            code();
            return;
        }
        Callback callback;
        callback.kind = kind;
        callback.descriptor = descriptor;
        if (descriptor) {
            callback.of = descriptor->logPrefix();
            callback.fd = descriptor->fileno();
        }
        if (timer) callback.timer = timer->timer();
        tell(&ReactorObserver::calling, callback);
        auto start = std::chrono::steady_clock::now();
        try {
            code();
        } catch (...) {
            tell(&ReactorObserver::called, callback,
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
            throw;
        }
        tell(&ReactorObserver::called, callback,
             std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    } catch (...) {
        if (!error_) error_ = std::current_exception();
        if (running_) stop();
    }
}

// --- IReactorTime -----------------------------------------------------------

double Reactor::seconds() const {
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}

std::shared_ptr<DelayedCall> Reactor::callLater(double delay, std::function<void()> callable) {
    check_delay(delay);
    std::shared_ptr<DelayedCall> call(new DelayedCall(*this, seconds() + delay, std::move(callable)));
    call->id_ = ++timers_made_;
    // evtimer_new: an event with no descriptor, that only a timeout wakes.
    call->event_.reset(evtimer_new(base_.get(), &DelayedCall::on_timeout_cb, call.get()));
    if (!call->event_) throw Error("evtimer_new failed");
    call->schedule();
    pending_calls_.push_back(call);  // the reactor keeps it alive until it runs
    tell(&ReactorObserver::scheduled, *call, delay);
    return call;
}

std::vector<std::shared_ptr<DelayedCall>> Reactor::getDelayedCalls() const { return pending_calls_; }

void Reactor::forget(DelayedCall* call) {
    std::erase_if(pending_calls_, [&](const auto& pending) { return pending.get() == call; });
}

DelayedCall::DelayedCall(Reactor& reactor, double time, std::function<void()> callable)
    : reactor_(&reactor), callable_(std::move(callable)), time_(time) {}

DelayedCall::~DelayedCall() = default;

void DelayedCall::schedule() {
    // libevent counts a timeout from the time it cached when the turn
    // began; a callback that ran a while before arming us would have us
    // fire that much early. From now, as our delay is.
    event_base_update_cache_time(reactor_->base_.get());
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
    state_ = Cancelled;
    event_.reset();       // event_free: event_del, then gone
    callable_ = nullptr;  // as Twisted does: what it captured can go now
    Reactor* reactor = reactor_;
    reactor_ = nullptr;
    reactor->tell(&ReactorObserver::cancelled, *this);
    reactor->forget(this);  // may drop the last reference: nothing after this line
}

void DelayedCall::reset(double secondsFromNow) {
    check_active();
    check_delay(secondsFromNow);
    time_ = reactor_->seconds() + secondsFromNow;
    schedule();
    reactor_->tell(&ReactorObserver::moved, *this, secondsFromNow);
}

void DelayedCall::delay(double secondsLater) {
    check_active();
    check_delay(time_ + secondsLater - reactor_->seconds());
    time_ += secondsLater;
    schedule();
    reactor_->tell(&ReactorObserver::moved, *this, time_ - reactor_->seconds());
}

void DelayedCall::on_timeout_cb(evutil_socket_t, short, void* arg) {
    auto* call = static_cast<DelayedCall*>(arg);
    Reactor* reactor = call->reactor_;
    // Hold a reference: the reactor lets go of the call right here, and the
    // callable may drop the caller's own.
    std::shared_ptr<DelayedCall> self = call->shared_from_this();
    reactor->call(Callback::Timer, nullptr, call, [call, reactor] {
        std::function<void()> callable = std::move(call->callable_);
        call->state_ = Called;
        call->event_.reset();  // a one-shot timer may be freed in its own callback
        call->reactor_ = nullptr;
        reactor->forget(call);
        callable();
    });
}

// --- IReactorCore -----------------------------------------------------------

void Reactor::run() {
    if (running_) throw Error("ReactorAlreadyRunning: run() called from inside run()");
    if (stop_requested()) return;  // Ctrl-C came before the loop did
    running_ = true;
    stopping_ = false;
    tell(&ReactorObserver::running, *this);
    // Twisted's run() goes on until stop(); libevent's event_base_dispatch()
    // returns as soon as no event is pending. Here one always is: the
    // waker's (see Waker), as in Twisted, where the waker is always among
    // the readers. That is what keeps the loop running after the last
    // poem's reader is removed, and why connectionLost must call stop().
    // EVLOOP_NO_EXIT_ON_EMPTY keeps that true even for a program that
    // removes the waker too: stop() is the only way out.
    //
    // We go one turn at a time (EVLOOP_ONCE: wait until something is ready,
    // run every callback that is, return), so that observers can see each
    // turn: where the loop waits, and what it woke for (observer.hpp).
    int rc = 0;
    while (!stopping_ && rc >= 0) {
        ++turn_;
        tell(&ReactorObserver::waiting, *this, turn_);
        if (stop_requested()) {  // Ctrl-C while an observer held us (one may wait for a key)
            tell(&ReactorObserver::interrupted);
            stop();
            break;
        }
        waiting_ = true;
        rc = event_base_loop(base_.get(), EVLOOP_ONCE | EVLOOP_NO_EXIT_ON_EMPTY);
        woke();
        tell(&ReactorObserver::turned, *this, turn_);
        if (stop_requested() && !stopping_) {  // the waker's turn: Ctrl-C reached the loop
            tell(&ReactorObserver::interrupted);
            stop();
        }
    }
    running_ = false;
    tell(&ReactorObserver::stopped, *this);
    if (rc < 0) throw Error("event_base_loop failed");
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
}

void Reactor::woke() {
    if (!waiting_) return;
    waiting_ = false;
    tell(&ReactorObserver::woke, *this, turn_);
}

void Reactor::stop() {
    // As in Twisted: stopping a reactor that is not running is a mistake
    // (ReactorNotRunning), not something to remember for later. A client
    // whose every connection failed before run() must simply not run it.
    if (!running_) throw ReactorNotRunning();
    if (stopping_) return;
    stopping_ = true;
    tell(&ReactorObserver::stopping);
    event_base_loopbreak(base_.get());
}

}  // namespace lab
