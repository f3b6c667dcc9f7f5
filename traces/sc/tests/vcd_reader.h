// A small VCD reader for tests (written from the VCD format, IEEE 1364 clause 18, not from
// the writer): header, $var ids, scopes, time stamps and value changes, with every deviation
// from what aesvp writes reported in `errors`.
#pragma once

#include <cstdint>
#include <fstream>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace aesvp::testing {

struct VcdVar {
  std::string name;  // full name without the top scope, e.g. "irq.sdma_l0"
  unsigned width = 0;
};

struct VcdChange {
  std::uint64_t time;
  std::string id;
  std::string value;  // "0", "1", "x", or the binary digits of a vector
};

struct VcdFile {
  std::string timescale;
  std::map<std::string, VcdVar> vars;  // by id
  std::vector<std::uint64_t> times;    // every #time line, in file order
  std::vector<VcdChange> changes;      // $dumpvars first (time 0), then in file order
  std::vector<std::string> errors;     // anything that is not valid VCD as we expect it

  std::string id_of(const std::string& name) const {
    for (const auto& [id, v] : vars)
      if (v.name == name) return id;
    return {};
  }
  bool has(const std::string& name) const { return !id_of(name).empty(); }
  // (time, value) of every recorded value of `name`, the initial one first.
  std::vector<std::pair<std::uint64_t, std::string>> history(const std::string& name) const {
    std::vector<std::pair<std::uint64_t, std::string>> h;
    const std::string id = id_of(name);
    for (const VcdChange& c : changes)
      if (c.id == id) h.emplace_back(c.time, c.value);
    return h;
  }
  std::vector<std::uint64_t> rises(const std::string& name) const { return edges(name, "0", "1"); }
  std::vector<std::uint64_t> falls(const std::string& name) const { return edges(name, "1", "0"); }
  // The value in force at `t` (after the changes at t).
  std::string value_at(const std::string& name, std::uint64_t t) const {
    std::string v;
    for (const auto& [time, value] : history(name))
      if (time <= t) v = value;
    return v;
  }

 private:
  std::vector<std::uint64_t> edges(const std::string& name, const char* from, const char* to) const {
    std::vector<std::uint64_t> e;
    std::string last;
    for (const auto& [time, value] : history(name)) {
      if (last == from && value == to) e.push_back(time);
      last = value;
    }
    return e;
  }
};

inline VcdFile read_vcd(const std::string& path) {
  VcdFile f;
  std::ifstream in(path);
  if (!in) {
    f.errors.push_back("cannot open " + path);
    return f;
  }
  std::vector<std::string> tok;
  for (std::string t; in >> t;) tok.push_back(t);
  std::size_t i = 0;
  auto until_end = [&](std::vector<std::string>* body) {
    for (++i; i < tok.size() && tok[i] != "$end"; ++i)
      if (body) body->push_back(tok[i]);
    if (i == tok.size()) f.errors.push_back("missing $end");
    ++i;
  };
  std::vector<std::string> scope;
  bool definitions_ended = false;
  while (i < tok.size() && !definitions_ended) {
    const std::string& t = tok[i];
    std::vector<std::string> body;
    if (t == "$date" || t == "$version" || t == "$comment") {
      until_end(nullptr);
    } else if (t == "$timescale") {
      until_end(&body);
      for (const auto& b : body) f.timescale += b;
    } else if (t == "$scope") {
      until_end(&body);
      if (body.size() != 2) f.errors.push_back("bad $scope");
      scope.push_back(body.size() == 2 ? body[1] : "?");
    } else if (t == "$upscope") {
      until_end(nullptr);
      if (scope.empty()) f.errors.push_back("$upscope without $scope");
      else scope.pop_back();
    } else if (t == "$var") {
      until_end(&body);
      if (body.size() < 4) {
        f.errors.push_back("bad $var");
        continue;
      }
      VcdVar v;
      v.width = static_cast<unsigned>(std::stoul(body[1]));
      for (std::size_t s = 1; s < scope.size(); ++s) v.name += scope[s] + ".";  // skip the top
      v.name += body[3];
      if (f.vars.count(body[2])) f.errors.push_back("duplicate id " + body[2]);
      f.vars[body[2]] = v;
    } else if (t == "$enddefinitions") {
      until_end(nullptr);
      definitions_ended = true;
    } else {
      f.errors.push_back("unexpected header token " + t);
      ++i;
    }
  }
  if (!definitions_ended) f.errors.push_back("no $enddefinitions");
  if (!scope.empty()) f.errors.push_back("unbalanced $scope");
  if (f.timescale.empty()) f.errors.push_back("no $timescale");
  std::uint64_t now = 0;
  bool any_time = false, changes_since_time = false;
  auto change = [&](const std::string& id, const std::string& value) {
    if (!f.vars.count(id)) f.errors.push_back("value change for undefined id " + id);
    f.changes.push_back({now, id, value});
    changes_since_time = true;
  };
  for (; i < tok.size(); ++i) {
    const std::string& t = tok[i];
    if (t == "$dumpvars" || t == "$end") continue;
    if (t == "$comment") {
      until_end(nullptr);
      --i;
      continue;
    }
    if (t[0] == '#') {
      const std::uint64_t next = std::stoull(t.substr(1));
      // Strictly increasing, except that the closing stamp may repeat the last one.
      if (any_time && next < now) f.errors.push_back("time goes back at " + t);
      if (any_time && next == now && i + 1 != tok.size())
        f.errors.push_back("repeated time " + t + " that is not the final stamp");
      if (any_time && !changes_since_time && i + 1 != tok.size())
        f.errors.push_back("time " + std::to_string(now) + " without changes");
      now = next;
      any_time = true;
      changes_since_time = false;
      f.times.push_back(next);
    } else if (t[0] == 'b' || t[0] == 'r') {
      if (i + 1 == tok.size()) {
        f.errors.push_back("vector value without id");
        break;
      }
      change(tok[i + 1], t.substr(1));
      ++i;
    } else if (t[0] == '0' || t[0] == '1' || t[0] == 'x' || t[0] == 'z') {
      change(t.substr(1), t.substr(0, 1));
    } else {
      f.errors.push_back("unexpected token " + t);
    }
  }
  return f;
}

}  // namespace aesvp::testing
