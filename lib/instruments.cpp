#include "instruments.hpp"

#include "options.hpp"
#include "reactor.hpp"
#include "run.hpp"

namespace lab {

void watch_as_asked(Reactor& reactor, const Options& options) {
    const Run* run = options.run.get();
    if (!run) return;
    // The trace first: it records what the others do (a heartbeat's ticks).
    if (run->recorder) reactor.watch(trace_observer(run->recorder));
    if (run->slow_callback) reactor.watch(slow_callback_warning(*run->slow_callback));
    if (run->heartbeat) reactor.watch(heartbeat(reactor, *run->heartbeat, run->recorder));
    if (run->step) reactor.watch(step_mode());
}

}  // namespace lab
