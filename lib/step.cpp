// --step: the instructor's pause between turns of the loop. Before each
// turn it waits for a line on stdin (an Enter); once something is ready it
// says on stderr what, before the callbacks run:
//   step 3: ready Task 1, Task 3
// At the end of stdin the loop runs on freely.
#include "instruments.hpp"
#include "output.hpp"
#include "reactor.hpp"

#include <cerrno>
#include <string>
#include <vector>

#include <poll.h>
#include <unistd.h>

namespace lab {

namespace {

class StepMode final : public ReactorObserver {
public:
    void running(Reactor&) override {
        if (stepping_) warn("step mode: one turn of the loop per line on stdin (at its end: run on)");
    }

    void waiting(Reactor&, int) override {
        if (stepping_) stepping_ = next_line();
    }

    // What the turn will call: the readers whose descriptors are readable
    // now, and the timers that are due.
    void woke(Reactor& reactor, int turn) override {
        if (!stepping_) return;
        std::vector<IReadDescriptor*> readers = reactor.getReaders();
        std::vector<pollfd> fds;
        for (IReadDescriptor* reader : readers) fds.push_back(pollfd{reader->fileno(), POLLIN, 0});
        ::poll(fds.data(), fds.size(), 0);
        std::string ready;
        for (std::size_t i = 0; i < readers.size(); ++i)
            if (fds[i].revents != 0) ready += (ready.empty() ? "" : ", ") + readers[i]->logPrefix();
        double now = reactor.seconds();
        for (const auto& call : reactor.getDelayedCalls())
            if (call->getTime() <= now) ready += ready.empty() ? "callLater" : ", callLater";
        if (!ready.empty()) warn("step ", turn, ": ready ", ready);
    }

private:
    // Reads up to the end of a line: false at the end of stdin (run on).
    static bool next_line() {
        char c = 0;
        for (;;) {
            ssize_t n = ::read(0, &c, 1);
            if (n == 1 && c == '\n') return true;
            if (n == 0) return false;
            if (n < 0 && errno == EINTR) return true;  // Ctrl-C: the reactor stops next
            if (n < 0) return false;
        }
    }

    bool stepping_ = true;
};

}  // namespace

std::unique_ptr<ReactorObserver> step_mode() { return std::make_unique<StepMode>(); }

}  // namespace lab
