# Summarises the fuzzing server's index.json for one agent (runs on Jython or CPython 2/3).
#
# usage: summary.py INDEX_JSON CASES_JSON AGENT
# Prints a table of verdicts and the cases whose verdict is not acceptable; exits 1 when
# a recorded case's behavior is not OK, NON-STRICT or INFORMATIONAL, or when a case the
# spec selects was not recorded at all (the driver could not run it).
from __future__ import print_function

import json
import sys

ACCEPTED = ("OK", "NON-STRICT", "INFORMATIONAL")
VERDICTS = ("OK", "NON-STRICT", "INFORMATIONAL", "FAILED", "UNIMPLEMENTED")


def case_key(case_id):
    return [int(part) for part in case_id.split(".")]


index_file, cases_file, agent = sys.argv[1], sys.argv[2], sys.argv[3]
expected = json.load(open(cases_file))
results = json.load(open(index_file)).get(agent, {})

counts = dict((verdict, 0) for verdict in VERDICTS)
other = 0
for result in results.values():
    if result["behavior"] in counts:
        counts[result["behavior"]] += 1
    else:
        other += 1

print("| cases run | recorded | OK | NON-STRICT | INFORMATIONAL | FAILED | UNIMPLEMENTED | other |")
print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
print("| %d | %d | %s | %d |" % (len(expected), len(results),
                                 " | ".join(str(counts[v]) for v in VERDICTS), other))

missing = sorted((c for c in expected if c not in results), key=case_key)
if missing:
    print()
    print("Not recorded by the fuzzing server (%d): %s" % (len(missing), ", ".join(missing)))
    print("(the driver did not complete these cases: see its log)")

for verdict in ("NON-STRICT", "INFORMATIONAL"):
    listed = sorted((c for c, r in results.items() if r["behavior"] == verdict), key=case_key)
    if listed:
        print()
        print("%s (accepted): %s" % (verdict, ", ".join(listed)))

closes = sorted((c for c, r in results.items() if r["behaviorClose"] not in ACCEPTED), key=case_key)
if closes:
    print()
    print("Closing behaviour not OK (informative; the verdict is 'behavior'):")
    for case_id in closes:
        r = results[case_id]
        print("  %-8s behaviorClose=%s remoteCloseCode=%s" % (case_id, r["behaviorClose"], r["remoteCloseCode"]))

failed = sorted((c for c, r in results.items() if r["behavior"] not in ACCEPTED), key=case_key)
if failed:
    print()
    print("Cases not passed (%d):" % len(failed))
    for case_id in failed:
        r = results[case_id]
        print("  %-8s %-13s close=%-13s remoteCloseCode=%-5s %s" % (case_id, r["behavior"], r["behaviorClose"],
                                                                    r["remoteCloseCode"], r["reportfile"]))

if failed or missing:
    sys.exit(1)
