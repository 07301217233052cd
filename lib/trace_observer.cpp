// --trace: what the reactor does, on the loop's track of the record. The
// exercise checker grades from it what the chapter teaches (was the
// reactor ever held inside a callback? did a timeout come from a timer?),
// and the demo draws its pictures from it.
#include "instruments.hpp"
#include "reactor.hpp"

namespace lab {

namespace {

using trace::Arg;
using trace::Event;

class TraceObserver final : public ReactorObserver {
public:
    explicit TraceObserver(std::shared_ptr<trace::Recorder> recorder) : record_(std::move(recorder)) {
        record_->name_loop_track("reactor");
    }

    void running(Reactor&) override { record_->instant(Event::run, 0); }
    void stopping() override { record_->instant(Event::stop, 0); }
    void interrupted() override { record_->instant(Event::interrupted, 0); }

    // The time from a turn's start to its first callback was spent inside
    // libevent, waiting for any descriptor or timer: a `wait` slice.
    void waiting(Reactor&, int) override { wait_started_ = record_->now_us(); }
    void woke(Reactor&, int) override { record_->complete(Event::wait, 0, wait_started_); }

    // While a callback's slice lasts nothing else can run.
    void calling(const Callback& callback) override {
        if (callback.kind == Callback::Timer)
            record_->begin(Event::callLater, {Arg("timer", callback.timer)});
        else
            record_->begin(callback.kind == Callback::DoRead ? Event::doRead : Event::doWrite,
                           {Arg("of", callback.of), Arg("fd", callback.fd)});
    }
    void called(const Callback&, double) override { record_->end(); }

    void added(const IFileDescriptor& descriptor, bool reader) override {
        record_->instant(reader ? Event::addReader : Event::addWriter, 0,
                         {Arg("of", descriptor.logPrefix()), Arg("fd", descriptor.fileno())});
    }
    void removed(const IFileDescriptor& descriptor, bool reader) override {
        record_->instant(reader ? Event::removeReader : Event::removeWriter, 0,
                         {Arg("of", descriptor.logPrefix()), Arg("fd", descriptor.fileno())});
    }
    void scheduled(const DelayedCall& call, double delay) override {
        record_->instant(Event::callLater, 0, {Arg("timer", call.timer()), Arg("delay", delay)});
    }
    void cancelled(const DelayedCall& call) override {
        record_->instant(Event::cancel, 0, {Arg("timer", call.timer())});
    }
    void moved(const DelayedCall& call, double delay) override {
        record_->instant(Event::reset, 0, {Arg("timer", call.timer()), Arg("delay", delay)});
    }

private:
    std::shared_ptr<trace::Recorder> record_;
    long long wait_started_ = 0;
};

}  // namespace

std::unique_ptr<ReactorObserver> trace_observer(std::shared_ptr<trace::Recorder> recorder) {
    return std::make_unique<TraceObserver>(std::move(recorder));
}

}  // namespace lab
