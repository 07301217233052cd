// The lab's instruments: they watch a reactor from outside, as observers
// (observer.hpp), each in a file of its own. A client's reactor gets those
// its command line asks for (Reactor(options) calls watch_as_asked):
//
//   --trace FILE             trace_observer.cpp: every callback, wait, timer
//                            and reader in the record (trace.hpp)
//   --slow-callback SECONDS  slow_callback.cpp: asyncio's warning, when a
//                            callback holds the loop longer than that
//   --heartbeat SECONDS      heartbeat.cpp: a LoopingCall (task.hpp) that
//                            says when the loop made it late
//   --step                   step.cpp: one turn of the loop per line on stdin
#pragma once

#include "observer.hpp"
#include "trace.hpp"

#include <memory>

namespace lab {

struct Options;
class Reactor;

void watch_as_asked(Reactor& reactor, const Options& options);

std::unique_ptr<ReactorObserver> trace_observer(std::shared_ptr<trace::Recorder> recorder);
std::unique_ptr<ReactorObserver> slow_callback_warning(double seconds);
std::unique_ptr<ReactorObserver> heartbeat(Reactor& reactor, double interval,
                                           std::shared_ptr<trace::Recorder> recorder);
std::unique_ptr<ReactorObserver> step_mode();

}  // namespace lab
