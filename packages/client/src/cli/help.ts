/** The `--help` texts of `sotto` and its commands. */

/** `sotto --help`. */
export const MAIN_HELP = `Usage: sotto <command> [options]

Private (Off-the-Record) chat in the terminal.

Commands:
  chat      chat privately over an echo-network relay (--json: the interop driver protocol)
  relay     run an echo-network relay
  keys      show, import, export or regenerate your long-term key
  trust     list, verify or forget your contacts' fingerprints
  account   add, list or remove your SIP accounts
  history   show recorded messages with their lock, or search them
  logging   turn message history on or off, or show whether it is on
  web       chat in the browser, on a page served on 127.0.0.1

Run "sotto <command> --help" for a command's options.
`;

/** `sotto chat --help`. */
export const CHAT_HELP = `Usage: sotto chat [options]

Private (OTR) chat over an echo-network relay. Without --relay it joins the
relay on 127.0.0.1:7878 and starts one itself if none is running, so two
terminals running "sotto chat" can talk at once.

Options:
  --relay HOST:PORT        the relay to join (default 127.0.0.1:7878)
  --json                   speak the JSON-lines driver protocol on stdin/stdout
                           (shared/interop/DRIVER.md) instead of the terminal chat
  --policy NAME            manual | opportunistic (default) | always
                             manual: OTR only when asked (/otr start, or the peer starts it)
                             opportunistic: also announce OTR and start it when the peer can
                             always: never send unencrypted; start OTR first
  --versions LIST          OTR versions to use, e.g. 3 or 2,3,4 (default 3,4: v4 preferred,
                           v3 with a peer without v4; v2 only when listed; with --json 2,3,4)
  --max-message-size N     split OTR messages longer than N characters (0 = never; at least 64)
  --state-dir DIR          where your key, instance tag and trust live
                           (default $XDG_CONFIG_HOME/sotto, or ~/.config/sotto, and
                           profile-2, profile-3... inside it while another sotto
                           uses it; with --json a fresh temporary directory)
  --local-port PORT        connect from this local port, so your address stays the same
  --account NAME           the account in the state directory (default "default");
                           a SIP address (sip:user@domain) chats over SIP and MSRP instead
                           (see "sotto chat --account sip:x@y --help")
  -h, --help               show this help

In the chat, type /help for commands.
With --account (SIP): /call sip:user@domain, /accept and /reject [N|ADDR],
/hangup [N|ADDR], /sessions, /to N|ADDR, /otr always on|off, /history [TEXT],
besides /otr, /smp and /trust. SOTTO_NO_NOTIFY=1: no desktop notification
when a contact's fingerprint changes.
`;

/** \`sotto chat --account sip:... --help\`. */
export const SIP_CHAT_HELP = `Usage: sotto chat --account sip:USER@DOMAIN [options]

Private (OTR) chat over SIP and MSRP, as Blink chats: registers the account,
then /call sip:bob@example.org, or /accept an incoming session. The account's
password, proxy, transport and MSRP relay come from "sotto account add", or
from --password-file and the options below (which override the stored ones).

Options:
  --password-file FILE     the SIP password (first line of FILE)
  --proxy HOST:PORT        where REGISTER and INVITE go (default: the domain, port
                           5060 for tcp, 5061 for tls)
  --transport tcp|tls      SIP transport (default tcp, or the stored account's)
  --msrp-relay HOST:PORT   the MSRP relay (RFC 4976) to AUTH at with the SIP credentials;
                           without one sotto listens for MSRP itself
  --msrp-transport tcp|tls MSRP transport (msrp:// or msrps://, default tcp)
  --ca-file PEM            extra trusted CA certificates for TLS
  --policy NAME            never | manual | opportunistic (default) | always
                             never: no OTR at all (OTR messages received are only told)
  --versions LIST          OTR versions to use (default 3,4; with --json 2,3,4)
  --state-dir DIR          where keys, trust, contact settings and history live
                           (with --json: a fresh temporary directory by default)
  --json                   speak the driver protocol's SIP mode on stdin/stdout
                           (shared/interop/DRIVER.md)
  -h, --help               show this help
`;

/** `sotto relay --help`. */
export const RELAY_HELP = `Usage: sotto relay [--host 127.0.0.1] [--port 7878] [--max-clients N]
                  [--max-clients-per-address N] [--max-frame-bytes N] [--idle-timeout SECONDS]

Runs an echo-network relay (the framing of otr4j's echonetwork): each client
is known by the IP:PORT of its connection, and a frame sent to an address is
delivered to that client, or dropped if it is not connected. Logs connections
to stderr (repeated lines collapsed into a count). Stop it with Ctrl-C.

The echo network has no authentication: on an address other machines can
reach (it warns), anyone can join, send to every client and see who talks to
whom; OTR keeps only what they say private.

A client gets at most 4 MiB queued that it has not read (frames beyond are
dropped); a connection that stops in the middle of a frame, or leaves what is
sent to it unread, for 30 s is closed, and so is one idle in both directions
for --idle-timeout.

Options:
  --host HOST                    address to listen on (default 127.0.0.1)
  --port PORT                    port to listen on (default 7878; 0 = any free port)
  --max-clients N                most clients at once (default 256)
  --max-clients-per-address N    most clients at once from one address, an IPv6
                                 one by its /64 (default 32)
  --max-frame-bytes N            largest message accepted (default 1048576, at most 16777216)
  --idle-timeout SECONDS         close a connection with no traffic for this long (default 3600)
  -h, --help                     show this help
`;

/** `sotto keys --help`. */
export const KEYS_HELP = `Usage: sotto keys show [--state-dir DIR] [--account NAME]
       sotto keys regenerate [--state-dir DIR] [--account NAME]
       sotto keys import --format libotr|blink-potr|blink-pem [--from DIR] [--key-file F]
                         [--trust-file F] [--instance-tags-file F] [--account-name NAME]
                         [--protocol P] [--replace] [--state-dir DIR] [--account NAME]
       sotto keys export --format libotr|blink-potr|blink-pem --to DIR [--account-name NAME]
                         [--protocol P] [--overwrite] [--state-dir DIR] [--account NAME]

show        your fingerprint (created on first use) and instance tag
regenerate  a new key; the old one is kept in retired-keys.json, and your
            contacts will have to verify you again
import      another client's key and trust (libotr/Pidgin/irssi-otr: --from ~/.purple
            or --key-file otr.private_key --trust-file otr.fingerprints
            --instance-tags-file otr.instance_tags; Blink: private_key.dsa and
            trusted_peers with blink-potr, otr.key with blink-pem). Every file is
            checked before anything changes; a different existing key is only
            replaced with --replace (and kept in retired-keys.json).
export      your key (and trust, where the format has it) into DIR for another
            client; the files hold your private key: keep them private

The state directory defaults to $XDG_CONFIG_HOME/sotto (or ~/.config/sotto).
`;

/** `sotto trust --help`. */
export const TRUST_HELP = `Usage: sotto trust list [PEER] [--state-dir DIR] [--account NAME]
       sotto trust verify PEER FINGERPRINT [--state-dir DIR] [--account NAME]
       sotto trust forget PEER [FINGERPRINT] [--state-dir DIR] [--account NAME]

list        every fingerprint your peers used, verified or not
verify      mark PEER's FINGERPRINT as verified (40 hex digits; spaces allowed,
            as in "ABCD1234 ABCD1234 ..."); do it only after comparing it with
            the peer another way (in person, by phone)
forget      drop one fingerprint of PEER, or all of them

PEER is the address the peer chats from (e.g. 127.0.0.1:40123).
`;

/** `sotto account --help`. */
export const ACCOUNT_HELP = `Usage: sotto account add sip:user@domain [--password-file F] [--proxy HOST:PORT]
                         [--transport tcp|tls] [--msrp-relay HOST:PORT]
                         [--msrp-transport tcp|tls] [--ca-file PEM]
                         [--cert-fingerprint SHA256] [--state-dir DIR]
       sotto account list [--state-dir DIR]
       sotto account remove sip:user@domain [--state-dir DIR]

add      a SIP account. Without --password-file the password is asked for on the
         terminal (not shown as you type); it is never read from a pipe.
         --proxy             the outbound proxy (default: the domain's server)
         --transport         SIP over tcp or tls (default tls)
         --msrp-relay        the MSRP relay for chat sessions (RFC 4976)
         --msrp-transport    tcp or tls to the relay (default: as --transport)
         --ca-file           trust the certificate authorities in this PEM file
                             instead of the system's
         --cert-fingerprint  trust the server certificate with this SHA-256
                             fingerprint (a self-hosted server)
list     your accounts and their servers; never the passwords
remove   forget an account (its keys, trust and history stay)

Like other SIP clients, sotto keeps the password so it can register without
asking: it is stored as given in accounts.json, mode 0600 in a 0700 directory,
so it is as safe as that file.
`;

/** `sotto history --help`. */
export const HISTORY_HELP = `Usage: sotto history show sip:user@domain [--search TEXT] [--limit N]
                         [--account sip:you@domain] [--state-dir DIR]
       sotto history show --search TEXT [--account sip:you@domain] [--state-dir DIR]
       sotto history peers [--account sip:you@domain] [--state-dir DIR]

show     the messages with a contact, newest last (the last 100; --limit N for
         up to 1000), each with its lock: [plain], [otr unverified] or
         [otr verified], its direction, time and, for what you sent, whether
         it was delivered; the contact's fingerprint when it changes.
         --search TEXT keeps only messages containing TEXT (letters in any case)
peers    everyone you have recorded messages with

Messages are recorded only while logging is on (sotto logging on), in
history.sqlite in the state directory (readable with: sqlite3 -readonly FILE).
`;

/** `sotto logging --help`. */
export const LOGGING_HELP = `Usage: sotto logging on|off|status [--state-dir DIR]

on       record every message you send and receive, with its encryption status,
         in history.sqlite in the state directory (mode 0600)
off      record nothing from now on (what was recorded stays; delete
         history.sqlite to remove it)
status   whether messages are being recorded

Logging is off until you turn it on. OTR's own protocol messages are never
recorded.
`;

/** `sotto web --help`. */
export const WEB_HELP = `Usage: sotto web [--account sip:user@domain] [--port N] [--no-browser] [options]

Chat in the browser: registers the SIP account and serves a page on
127.0.0.1 only (Blink's chat window: the lock, the Encryption menu, identity
verification, the history, settings). It prints the page's address, which
carries a secret token, and opens it with xdg-open where it can.

The account is the one "sotto account add" stored (the only one, or the one
--account names), or --account with --password-file and the options below,
as for sotto chat --account (they override the stored ones).

Options:
  --account sip:user@domain  the SIP account (default: the only one; see sotto account)
  --port N                   the port to serve on (default: any free port)
  --no-browser               only print the address (also: SOTTO_NO_BROWSER=1)
  --password-file FILE       the SIP password (first line of FILE)
  --proxy HOST:PORT          where REGISTER and INVITE go (default: the domain)
  --transport tcp|tls        SIP transport (default tcp, or the stored account's)
  --msrp-relay HOST:PORT     the MSRP relay to AUTH at with the SIP credentials
  --msrp-transport tcp|tls   MSRP transport (default tcp)
  --ca-file PEM              extra trusted CA certificates for TLS
  --policy NAME              never | manual | opportunistic (default) | always
  --versions LIST            OTR versions to use (default 3,4)
  --state-dir DIR            where your key, trust, accounts and history live
  -h, --help                 show this help
`;
