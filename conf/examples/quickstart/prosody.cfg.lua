-- A minimal Prosody 0.12 for the XMPP quick start (docs/quickstart-xmpp.md): one host "localhost" with a MUC
-- service "conference.localhost", listening on 127.0.0.1:5222 only (or $XMPP_PORT), plain text (loopback only; use
-- TLS anywhere else), its data in /tmp/sigbridge-quickstart/prosody (or $QUICKSTART_DIR/prosody). Run it in the
-- foreground from the repository root, as your own user:
--   mkdir -p "${QUICKSTART_DIR:-/tmp/sigbridge-quickstart}/prosody"
--   prosody -F --config "$PWD/conf/examples/quickstart/prosody.cfg.lua"

run_as_root = true                       -- allow root too (containers); harmless as a normal user
-- ENV_X is the environment variable X (Prosody's configmanager); unset, the defaults of the quick start apply.
local dir = (ENV_QUICKSTART_DIR or "/tmp/sigbridge-quickstart") .. "/prosody"
pidfile   = dir .. "/prosody.pid"
data_path = dir
certificates = dir                       -- none: plain text on loopback

interfaces = { "127.0.0.1" }
c2s_ports  = { tonumber(ENV_XMPP_PORT or "5222") }
s2s_ports  = { }
http_ports = { }
https_ports = { }

log = { { levels = { min = "info" }, to = "console" } }

modules_enabled = { "roster"; "saslauth"; "disco"; "ping"; "posix" }
modules_disabled = { "s2s"; "offline" }

-- Loopback only: no TLS, so sigbridge uses tls: disabled (conf/examples/quickstart/xmpp-prosody.yml).
c2s_require_encryption = false
allow_unencrypted_plain_auth = true
authentication = "internal_hashed"
storage = "internal"

VirtualHost "localhost"

Component "conference.localhost" "muc"
	restrict_room_creation = false   -- the bridge creates a room per channel on first use
	muc_room_locking = false
	muc_room_default_history_length = 0
