// `aesvp sweep collect`: one row per point - id, status, the axes, the headline figures of
// its statistics file - as a JSON table and a CSV file.
#pragma once

#include "testbench/sweep/store.h"

#include <iosfwd>
#include <string>
#include <vector>

namespace aesvp::sweep {

struct Table {
  std::vector<std::string> columns;
  std::vector<Json> rows;  // objects keyed by column; null where a figure does not apply
};

// The headline figures, in column order (docs/sweeps.md defines each).
const std::vector<std::string>& figure_columns();

Table collect(const SweepDir& dir, const Plan& plan);
Json table_json(const Table& t);             // {"columns": [...], "rows": [{...}, ...]}
void write_csv(std::ostream& os, const Table& t);

}  // namespace aesvp::sweep
