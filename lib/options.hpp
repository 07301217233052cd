// What a client's command line asked for, as parse_args (cli.hpp) reads it:
// the chapter's `addresses = parse_args()`, and the run it starts.
#pragma once

#include "address.hpp"

#include <memory>
#include <optional>
#include <vector>

namespace lab {

class Run;

struct Options {
    std::vector<Address> addresses;  // in the order given: task 1, 2, 3 ...
    std::optional<double> timeout;   // --timeout SECONDS, for the client of exercise 2
    // What the lab adds to the run (run.hpp): the options the chapter has
    // no place for, and the count of poems that arrived whole. Each
    // address above carries it too.
    std::shared_ptr<Run> run;
};

}  // namespace lab
