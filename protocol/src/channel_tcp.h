/* Private: the loopback TCP channel backend ("tcp:PORTBASE[:POOLPATH]").
 *
 * For guests that cannot use the local backend's UNIX sockets: a Windows
 * agent under Wine (Wine 8 has no AF_UNIX).  Always 127.0.0.1, never any
 * other address; channel port P (6000..6063) is TCP port PORTBASE+(P-6000).
 * No fds can ride along: the page pool is a file named by each side's own
 * spec (pages_file.c).  Builds on Linux and on Windows (Winsock).
 */
#ifndef FENESTRA_CHANNEL_TCP_H
#define FENESTRA_CHANNEL_TCP_H

#include <stddef.h>
#include <stdint.h>

#include "fenestra/channel.h"
#include "fenestra/proto.h"

/* Channel ports the backend accepts: FEN_PORT_GUI + 0..63. */
#define FEN_TCP_PORT_SPAN 64

/* Parse the part of a spec after "tcp:": "PORTBASE" or "PORTBASE:POOLPATH".
 * PORTBASE is decimal 1024..(65535-FEN_TCP_PORT_SPAN+1); there is no host
 * part (anything that is not such a number, e.g. "10.0.0.1:7000" or
 * "localhost:7000", is refused).  *pool_path (optional) points into `rest`
 * at the path, or is NULL when absent.  0, or -1 when malformed. */
int fen_tcp_spec_parse(const char *rest, uint16_t *portbase, const char **pool_path);

/* TCP port for channel port `port`, or -1 if out of range. */
int fen_tcp_port_for(uint16_t portbase, int port);

struct fen_chan *fen_chan_tcp_server(const char *rest, int port, size_t read_min, size_t write_min);
struct fen_chan *fen_chan_tcp_client(const char *rest, int port);

#endif
