#include "run.hpp"

#include <algorithm>

#include <fcntl.h>
#include <unistd.h>

namespace lab {

int Run::connecting() {
    whole_.push_back(false);
    return static_cast<int>(whole_.size());
}

void Run::finished(int task) {
    if (task >= 1 && static_cast<std::size_t>(task) <= whole_.size()) whole_[static_cast<std::size_t>(task - 1)] = true;
}

std::size_t Run::whole() const { return static_cast<std::size_t>(std::count(whole_.begin(), whole_.end(), true)); }

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
