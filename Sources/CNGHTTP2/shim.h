// The nghttp2 headers as Swift sees them. Debian 12 ships nghttp2 1.52: there is no
// nghttp2_submit_response2 / nghttp2_data_provider2 yet, so the wrapper uses the 1.x API.
#ifndef CNGHTTP2_SHIM_H
#define CNGHTTP2_SHIM_H
#include <nghttp2/nghttp2.h>
#endif
