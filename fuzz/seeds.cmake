# Seed inputs derived from the project's own data, written at configure time into
# ${POP3LAB_FUZZ_SEEDS}/<target>/ (CMake re-runs when a source changes):
#   tests/transcripts/rfc1939-example.txt  the golden transcript: command lines, status
#       lines, bodies, whole client and server streams (with each target's control bytes)
#   docs/trace-format.md                   the example trace (its ```jsonl block)
#   labs/*/lab.toml                        every shipped lab file
# The checked-in fuzz/corpus/<target>/ holds hand-written seeds and regression inputs.
# CMake strings cannot hold NUL, so no control byte below is 0.

set(_transcript ${PROJECT_SOURCE_DIR}/tests/transcripts/rfc1939-example.txt)
set(_trace_doc ${PROJECT_SOURCE_DIR}/docs/trace-format.md)
file(GLOB _lab_files ${PROJECT_SOURCE_DIR}/labs/*/lab.toml)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_transcript} ${_trace_doc} ${_lab_files})

file(REMOVE_RECURSE ${POP3LAB_FUZZ_SEEDS})
function(_pop3lab_seed target name content)
  file(WRITE ${POP3LAB_FUZZ_SEEDS}/${target}/${name} "${content}")
endfunction()

set(_crlf "\r\n")
string(ASCII 1 _soh)  # the client target's separator between commands and stream
string(ASCII 3 2 _framer_server)  # line_framer: pieces of 1..3, a 512-octet cap
string(ASCII 7 1 _framer_client)  # line_framer: pieces of 1..7, the 255 cap, bare LF accepted

# --- the golden transcript -------------------------------------------------------------
file(READ ${_transcript} _text)
string(REPLACE ";" "\\;" _text "${_text}")
string(REPLACE "\n" ";" _lines "${_text}")
set(_client_stream "")    # C: lines, CRLF-terminated
set(_client_typed "")     # C: lines, LF-separated (as typed)
set(_server_stream "")    # S: lines, CRLF-terminated
set(_body "")
set(_in_reply FALSE)
set(_n 0)
foreach(_line IN LISTS _lines)
  math(EXPR _n "${_n} + 1")
  if(_line MATCHES "^C: (.*)$")
    set(_cmd "${CMAKE_MATCH_1}")
    _pop3lab_seed(command transcript-${_n} "${_cmd}")
    string(APPEND _client_stream "${_cmd}${_crlf}")
    if(_client_typed)
      string(APPEND _client_typed "\n")
    endif()
    string(APPEND _client_typed "${_cmd}")
    set(_in_reply FALSE)
  elseif(_line MATCHES "^S: (.*)$")
    set(_data "${CMAKE_MATCH_1}")
    string(APPEND _server_stream "${_data}${_crlf}")
    if(NOT _in_reply)
      _pop3lab_seed(reply transcript-${_n} "${_data}")
      set(_in_reply TRUE)
      set(_body "")
    elseif(_data STREQUAL ".")
      if(NOT _body STREQUAL "")
        _pop3lab_seed(dot_stuffing transcript-${_n} "1${_body}")
        _pop3lab_seed(reply body-${_n} "${_body}")
      endif()
    else()
      # Unstuff the way the client does, for the encoder's input.
      string(REGEX REPLACE "^\\." "" _unstuffed "${_data}")
      string(APPEND _body "${_unstuffed}${_crlf}")
    endif()
  endif()
endforeach()
# Control bytes: see the comments at the top of each target.
_pop3lab_seed(server_session transcript " ${_client_stream}")           # 0x20: drop at the end
_pop3lab_seed(server_session transcript-pieces "0${_client_stream}")    # 0x30: pieces, drop
_pop3lab_seed(server_session transcript-tls "!${_client_stream}")       # 0x21: STLS available
_pop3lab_seed(client_session transcript " ${_client_typed}${_soh}${_server_stream}")
_pop3lab_seed(client_session transcript-streamed "+${_client_typed}${_soh}${_server_stream}")
_pop3lab_seed(line_framer transcript-server "${_framer_server}${_server_stream}")
_pop3lab_seed(line_framer transcript-client "${_framer_client}${_client_stream}")

# --- the example trace of docs/trace-format.md -----------------------------------------
file(READ ${_trace_doc} _doc)
string(FIND "${_doc}" "```jsonl\n" _start)
if(_start GREATER -1)
  math(EXPR _start "${_start} + 9")
  string(SUBSTRING "${_doc}" ${_start} -1 _rest)
  string(FIND "${_rest}" "```" _end)
  string(SUBSTRING "${_rest}" 0 ${_end} _jsonl)
  _pop3lab_seed(trace_reader docs-example.jsonl "${_jsonl}")
else()
  message(WARNING "fuzz: no ```jsonl block in ${_trace_doc}: the trace reader lost a seed")
endif()

# --- the shipped labs -------------------------------------------------------------------
foreach(_lab IN LISTS _lab_files)
  get_filename_component(_dir ${_lab} DIRECTORY)
  get_filename_component(_slug ${_dir} NAME)
  configure_file(${_lab} ${POP3LAB_FUZZ_SEEDS}/lab_file/${_slug}.toml COPYONLY)
endforeach()
