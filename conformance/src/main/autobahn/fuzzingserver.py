# Starts the Autobahn|Testsuite fuzzing server (autobahntestsuite 0.5.6, bundled in
# me.normanmaurer.maven.autobahntestsuite:autobahntestsuite-maven-plugin) under Jython.
#
# Unlike `wstest -m fuzzingserver` it
# - binds to 127.0.0.1 only (wstest listens on every interface) on a free port from the OS;
# - skips the report web server (port 8080): the reports are files in the spec's outdir;
# - works around a Jython socket limitation: when the client starts the closing handshake
#   (every case where the client must fail the connection) the server answers and drops the
#   TCP connection gracefully, but Jython never completes that graceful close once the
#   client has closed its end, so the case never ends and never reaches the report. Here a
#   graceful drop becomes an abort after DROP_GRACE seconds (and at once before the
#   reports are written). The verdicts do not depend on how the TCP connection ended: the
#   case is judged on the frames exchanged, which are all in by then.
#
# usage: jython fuzzingserver.py SPEC.json STATE_DIR
#   writes STATE_DIR/cases.json (the case ids the spec selects, in run order) and then
#   STATE_DIR/port (the listening port) once the server accepts connections.
import json
import os
import sys

from twisted.internet import reactor
from autobahn.websocket import WebSocketProtocol
from autobahntestsuite import fuzzing

DROP_GRACE = 0.5

spec_file, state_dir = sys.argv[1], sys.argv[2]
spec = json.load(open(spec_file))

dropping = set()


def abort_connection(transport):
    dropping.discard(transport)
    if transport.connected and not transport.disconnected:
        transport.abortConnection()


class ServerProtocol(fuzzing.FuzzingServerProtocol):

    def dropConnection(self, abort=False):
        WebSocketProtocol.dropConnection(self, abort)
        if not abort:
            dropping.add(self.transport)
            reactor.callLater(DROP_GRACE, abort_connection, self.transport)

    def onOpen(self):
        if self.path == "/updateReports" and dropping:
            # end the cases still closing first: their connectionLost records them
            for transport in list(dropping):
                abort_connection(transport)
            reactor.callLater(0.1, fuzzing.FuzzingServerProtocol.onOpen, self)
        else:
            fuzzing.FuzzingServerProtocol.onOpen(self)


def write(name, text):
    path = os.path.join(state_dir, name)
    out = open(path + ".tmp", "w")
    out.write(text)
    out.close()
    os.rename(path + ".tmp", path)


factory = fuzzing.FuzzingServerFactory(spec)
factory.protocol = ServerProtocol
listener = reactor.listenTCP(0, factory, 50, "127.0.0.1")
port = listener.getHost().port
# the opening handshake checks the Host header's port against these
factory.port = port
factory.externalPort = port

write("cases.json", json.dumps(factory.specCases))
write("port", str(port))
print "Fuzzing server listening on ws://127.0.0.1:%d" % port
sys.stdout.flush()
reactor.run()
