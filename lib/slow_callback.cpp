// --slow-callback SECONDS: asyncio's slow-callback warning, for teaching.
// When a doRead, doWrite or callLater callable runs longer than SECONDS,
// say on stderr who it was and how long nothing else could run:
//   Task 2 doRead (fd 7, 127.0.0.1:10001) blocked the reactor for 1.234 s
// That is the broken client's problem (Part 4, "get-poetry-broken.py").
// On a terminal the line stands out (reverse video, as heartbeat.cpp's
// late warning does); through a pipe it is plain, for tools to read.
#include "instruments.hpp"
#include "net.hpp"
#include "output.hpp"

#include <cstdio>

#include <unistd.h>

namespace lab {

namespace {

class SlowCallbackWarning final : public ReactorObserver {
public:
    explicit SlowCallbackWarning(double seconds) : limit_(seconds), terminal_(::isatty(2) == 1) {}

    // Who it is, asked before the call: after it the socket may be closed.
    void calling(const Callback& callback) override {
        where_.clear();
        if (callback.kind == Callback::Timer) return;
        where_ = " (fd " + std::to_string(callback.fd);
        if (auto peer = peer_address(callback.fd)) where_ += ", " + format_address(*peer);
        where_ += ")";
    }

    void called(const Callback& callback, double seconds) override {
        if (seconds <= limit_) return;
        char took[32];
        std::snprintf(took, sizeof took, "%.3f", seconds);
        const char* what = callback.kind == Callback::Timer    ? "callLater"
                           : callback.kind == Callback::DoRead ? "doRead"
                                                               : "doWrite";
        // ECMA-48's reverse video on, then every attribute off: no colour,
        // so it stays under NO_COLOR too.
        warn(terminal_ ? "\033[7m" : "", callback.of, callback.of.empty() ? "" : " ", what, where_,
             " blocked the reactor for ", took, " s", terminal_ ? "\033[0m" : "");
    }

private:
    double limit_;
    bool terminal_;  // stderr is a terminal: the warning is highlighted
    std::string where_;
};

}  // namespace

std::unique_ptr<ReactorObserver> slow_callback_warning(double seconds) {
    return std::make_unique<SlowCallbackWarning>(seconds);
}

}  // namespace lab
