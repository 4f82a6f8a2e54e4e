"""A real SMTP server for the tests (support.TlsSmtpServer starts it), built on aiosmtpd 1.4.

    python3 test_smtp_server.py --security none|starttls|tls --port N --spool DIR
                                [--cert server.pem --key server-key.pem]

Listens on 127.0.0.1 only. Security, as the service's SMTP_SECURITY names it:
  none      plain SMTP; no STARTTLS offered (for "the relay does not offer STARTTLS")
  starttls  RFC 3207: refuses everything but EHLO/HELO/NOOP/RSET/QUIT/STARTTLS before STARTTLS
            (530), and AUTH before TLS (538)
  tls       implicit TLS from the first byte (RFC 8314, port 465 style)
When the environment holds SMTP_TEST_USERNAME and SMTP_TEST_PASSWORD, AUTH (PLAIN or LOGIN,
RFC 4954) with exactly these is required before MAIL (530); wrong ones get 535. They come
through the environment rather than argv so that ps does not show them.

Each accepted message becomes DIR/NNNNNN.eml (the DATA bytes) and DIR/NNNNNN.json (envelope:
from, to, login, tls), the .json written last and renamed into place, so a reader that lists
*.json never sees half a message. Prints "ready" once it accepts connections; stops on
SIGTERM or when stdin closes (the JVM that started it is gone).
"""
import argparse
import hmac
import json
import os
import signal
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Spool:
    """aiosmtpd handler: files every accepted message into the spool directory."""

    def __init__(self, directory):
        self.directory = directory
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            name = os.path.join(self.directory, f"{self.count:06d}")
        with open(name + ".eml", "wb") as raw:
            raw.write(envelope.original_content)
        login = session.auth_data.login.decode("utf-8") if session.auth_data else None
        record = {"from": envelope.mail_from, "to": envelope.rcpt_tos, "login": login,
                  "tls": server.transport.get_extra_info("sslcontext") is not None}
        with open(name + ".tmp", "w", encoding="utf-8") as out:
            json.dump(record, out)
        os.replace(name + ".tmp", name + ".json")
        return "250 2.0.0 Message accepted for delivery"


def authenticator(username, password):
    """An aiosmtpd authenticator accepting only username/password (constant-time compare)."""
    expected = (username.encode("utf-8"), password.encode("utf-8"))

    def check(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and hmac.compare_digest(auth_data.login, expected[0])
              & hmac.compare_digest(auth_data.password, expected[1]))
        # handled=False: aiosmtpd answers 535 5.7.8 itself on failure
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    return check


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--security", choices=["none", "starttls", "tls"], required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--spool", required=True)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    args = parser.parse_args()

    username = os.environ.get("SMTP_TEST_USERNAME")
    password = os.environ.get("SMTP_TEST_PASSWORD")
    options = {}
    if username and password:
        options.update(authenticator=authenticator(username, password), auth_required=True)

    context = None
    if args.security != "none":
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)
    if args.security == "starttls":
        options.update(tls_context=context, require_starttls=True, auth_require_tls=True)
        context = None
    else:
        # aiosmtpd 1.4 counts only STARTTLS as TLS for auth_require_tls, so with implicit TLS it
        # would refuse every AUTH; there the whole connection is TLS anyway. With "none", AUTH
        # in the clear is what such a relay does.
        options.update(auth_require_tls=False)

    controller = Controller(Spool(args.spool), hostname="127.0.0.1", port=args.port,
                            ssl_context=context, server_hostname="localhost", **options)
    controller.start()

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
    watcher = threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True)
    watcher.start()
    print("ready", flush=True)
    while not stop.wait(1):
        pass
    controller.stop()


if __name__ == "__main__":
    main()
