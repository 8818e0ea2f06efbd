#!/usr/bin/env python3
"""A local stand-in for a Slack incoming webhook, for the quickstart's approval demo.

Usage: slack-receiver.py PORT MESSAGES_FILE

Listens on 127.0.0.1:PORT. Every POST body (the Block Kit message the gateway sends to its webhook) is appended to
MESSAGES_FILE as one JSON line and printed on stdout: first the payload as received, then as Slack would show it (the
text, the fields, the statement, the buttons with the request id they carry), and last the link to the approval page
when the message has one. Answers "ok" with 200, as Slack's webhooks do.
"""
import json
import re
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def readable(message):
    """The message as lines a person reads in Slack."""
    lines = []
    for block in message.get("blocks", []):
        kind = block.get("type")
        if kind == "header":
            lines.append("== " + block["text"]["text"])
        elif kind == "section" and "fields" in block:
            for field in block["fields"]:
                lines.append("  " + slack_text(field["text"]).replace("\n", ": ", 1))
        elif kind == "section":
            lines.append("  " + slack_text(block["text"]["text"]))
        elif kind == "actions":
            for button in block.get("elements", []):
                lines.append("  [%s] (button: action %s, request %s)" % (
                    button["text"]["text"], button.get("action_id"), button.get("value")))
        elif kind == "context":
            for element in block.get("elements", []):
                lines.append("  " + slack_text(element.get("text", "")))
    if not lines:
        lines.append(message.get("text", ""))
    return lines


def approval_link(message):
    """The approval page link anywhere in a message (Slack's <url|open apr-...>), or None."""
    match = re.search(r"<(https?://[^|>\"]+/approve/[^|>\"]+)\|", json.dumps(message))
    return match.group(1) if match else None


def slack_text(text):
    """Slack's mrkdwn shown plainly: <url|label> as 'label: url', dates by their fallback, entities decoded."""
    text = re.sub(r"<!date\^[^|>]*\|([^>]*)>", r"\1", text)
    text = re.sub(r"<([^|>]+)\|([^>]+)>", r"\2: \1", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


class Webhook(BaseHTTPRequestHandler):
    messages_file = None

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        try:
            message = json.loads(body)
        except ValueError:
            self.answer(400, "invalid_payload")
            return
        with open(self.messages_file, "a", encoding="utf-8") as out:
            out.write(json.dumps(message) + "\n")
        print("Slack message received on %s:" % self.path, flush=True)
        print("payload: " + json.dumps(message, ensure_ascii=False), flush=True)
        for line in readable(message):
            print(line, flush=True)
        link = approval_link(message)
        if link:
            print("approve link: " + link, flush=True)
        self.answer(200, "ok")

    def answer(self, status, text):
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        self.wfile.write(text.encode())

    def log_message(self, format, *args):
        pass  # only the messages themselves are printed


def main():
    port, Webhook.messages_file = int(sys.argv[1]), sys.argv[2]
    server = ThreadingHTTPServer(("127.0.0.1", port), Webhook)
    print("Slack webhook stand-in listening on http://127.0.0.1:%d/" % port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
