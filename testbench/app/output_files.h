// The output files of one aesvp command, committed together only when the whole command
// succeeded (docs/errors.md "Outputs").
//
// Every output (crypt result, --stats, --timeline, --vcd, speed --json, run --disk) is
// declared with add() before the run: the path is checked and a temporary file is created
// next to its target; the command writes the temporary. commit() renames every temporary
// over its target at the end; if the command fails, is interrupted (SIGINT, SIGTERM, SIGHUP)
// or commit() itself fails, every temporary is removed and no target is touched.
//
// Refused with a UsageError (exit 2) before anything runs:
//   - a target that is a directory, a character or block device, a FIFO or a socket: none of
//     them can take an atomic replacement, and writing through them could block (FIFO) or
//     destroy data (device). Write to a regular file and copy it where it should go.
//   - a target that is the same file as an input of the command (the image, a key file, the
//     config file) or as another output of the same command.
//   - a target whose directory is missing or not writable.
// A symbolic link is written through: the temporary is created next to the link's final
// target and renamed over that target, so the link itself stays a link. A dangling link is
// refused.
#pragma once

#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

namespace aesvp {

class OutputFiles {
 public:
  OutputFiles();
  ~OutputFiles();  // removes every temporary not committed
  OutputFiles(const OutputFiles&) = delete;
  OutputFiles& operator=(const OutputFiles&) = delete;

  // An input of the command (for the same-file check; a missing file is fine here).
  void input(const std::string& what, const std::string& path);
  // Declares an output; `what` names it in messages ("--stats", "output"). Returns the
  // temporary file to write (its name ends in `suffix`, e.g. ".vcd"). Throws UsageError.
  std::string add(const std::string& what, const std::string& path, const std::string& suffix = "");
  // Writes a text output through `body` into its temporary; throws std::runtime_error naming
  // the file and the errno text on failure.
  void write(const std::string& temporary, const std::function<void(std::ostream&)>& body);
  // Renames every temporary over its target. Throws std::runtime_error (file, errno text).
  void commit();
  // Removes every temporary (also done by the destructor).
  void discard();

  // The target named for messages, given its temporary.
  const std::string& target_of(const std::string& temporary) const;

 private:
  struct File;
  struct Input;
  std::vector<File> files_;
  std::vector<Input> inputs_;
};

}  // namespace aesvp
