// Message types of the project's SystemC reports, and one helper for bad bus accesses.
#pragma once

#include <systemc>
#include <tlm>

#include <cstdint>
#include <string>

namespace aesvp {

// Report message types ("aesvp/<area>"): tests match on them.
inline constexpr const char* kReportBus = "aesvp/bus";        // bad bus access, error response
inline constexpr const char* kReportModel = "aesvp/model";    // model misuse (bad programming)
inline constexpr const char* kReportConfig = "aesvp/config";  // bad parameter or wiring

// Name of a TLM response status, for messages.
const char* response_name(tlm::tlm_response_status s);

// Sets the response status of `trans` and issues one clear warning naming the model,
// the command, the address, the length and the reason.
void reject_access(const sc_core::sc_object& who, tlm::tlm_generic_payload& trans,
                   tlm::tlm_response_status status, const std::string& why);

}  // namespace aesvp
