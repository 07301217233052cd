#include "run.hpp"

#include <algorithm>

#include <fcntl.h>
#include <unistd.h>

namespace lab {

int Run::connecting() {
    poems_.push_back(Poem::Coming);
    return static_cast<int>(poems_.size());
}

void Run::end_of_stream(int task) {
    if (task >= 1 && static_cast<std::size_t>(task) <= poems_.size())
        poems_[static_cast<std::size_t>(task - 1)] = Poem::Ended;
}

void Run::closed(int task) {
    if (task >= 1 && static_cast<std::size_t>(task) <= poems_.size() &&
        poems_[static_cast<std::size_t>(task - 1)] == Poem::Ended)
        poems_[static_cast<std::size_t>(task - 1)] = Poem::Whole;
}

std::size_t Run::whole() const {
    return static_cast<std::size_t>(std::count(poems_.begin(), poems_.end(), Poem::Whole));
}

void Run::hold_descriptors_back() {
    if (reserve_[0] < 0 && ::pipe2(reserve_, O_CLOEXEC) != 0) reserve_[0] = reserve_[1] = -1;
}

void Run::let_descriptors_go() {
    for (int& fd : reserve_) {
        if (fd >= 0) ::close(fd);
        fd = -1;
    }
}

Run::~Run() { let_descriptors_go(); }

}  // namespace lab
