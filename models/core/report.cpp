#include "models/core/report.h"

#include <sstream>

namespace aesvp {

const char* response_name(tlm::tlm_response_status s) {
  switch (s) {
    case tlm::TLM_OK_RESPONSE: return "OK";
    case tlm::TLM_INCOMPLETE_RESPONSE: return "INCOMPLETE";
    case tlm::TLM_GENERIC_ERROR_RESPONSE: return "GENERIC_ERROR";
    case tlm::TLM_ADDRESS_ERROR_RESPONSE: return "ADDRESS_ERROR";
    case tlm::TLM_COMMAND_ERROR_RESPONSE: return "COMMAND_ERROR";
    case tlm::TLM_BURST_ERROR_RESPONSE: return "BURST_ERROR";
    case tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE: return "BYTE_ENABLE_ERROR";
  }
  return "?";
}

void reject_access(const sc_core::sc_object& who, tlm::tlm_generic_payload& trans,
                   tlm::tlm_response_status status, const std::string& why) {
  trans.set_response_status(status);
  std::ostringstream msg;
  const char* cmd = trans.is_read() ? "read" : trans.is_write() ? "write" : "ignore";
  msg << who.name() << ": " << cmd << " of " << trans.get_data_length() << " bytes at 0x"
      << std::hex << trans.get_address() << std::dec << " rejected with "
      << response_name(status) << ": " << why;
  SC_REPORT_WARNING(kReportBus, msg.str().c_str());
}

}  // namespace aesvp
