#!/usr/bin/env bash
# The sharded run's remote path for real: an OpenSSH server on 127.0.0.1 (Debian's
# openssh-server, a throwaway host key and user key in this test's folder, a high port),
# and pipelines/sharded 2 --sshlogin over two logins on it. The shards travel by rsync into
# parallel's work folders and come back; the tables, persons and unlinked rows must be
# byte-identical to the single run's. Skips itself (exit 77) where sshd cannot start.
. "$KETEN_ROOT/tests/lib/tap.sh"
. "$KETEN_ROOT/tests/pipeline/world.sh"

skip() { echo "ssh.t: skipped: $*"; exit 77; }
sshd=$(command -v sshd || echo /usr/sbin/sshd)
[ -x "$sshd" ] || skip "no sshd (tools/need-packages test installs openssh-server)"
command -v ssh > /dev/null || skip "no ssh client (openssh-client)"
command -v rsync > /dev/null || skip "no rsync (GNU parallel sends the shards with it)"
command -v parallel > /dev/null || skip "no GNU parallel"

here=$PWD
mkdir ssh && chmod 700 ssh
ssh-keygen -q -t ed25519 -N '' -f ssh/host_key -C ketenmonitor-test-host || skip "ssh-keygen failed"
ssh-keygen -q -t ed25519 -N '' -f ssh/user_key -C ketenmonitor-test-user || skip "ssh-keygen failed"
cp ssh/user_key.pub ssh/authorized_keys && chmod 600 ssh/authorized_keys
user=$(id -un)
# a free high port: the first of a few that nothing listens on
port=
for p in $(shuf -i 20000-60000 -n 20); do
	if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
done
[ -n "$port" ] || skip "no free port found"
cat > ssh/sshd_config <<EOF
Port $port
ListenAddress 127.0.0.1
HostKey $here/ssh/host_key
PidFile $here/ssh/sshd.pid
AuthorizedKeysFile $here/ssh/authorized_keys
StrictModes no
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
AllowUsers $user
UsePAM no
LogLevel ERROR
EOF
# OpenSSH needs its privilege-separation folder (made by the package's service, which a
# test does not start).
[ -d /run/sshd ] || mkdir -p -m 0755 /run/sshd 2>/dev/null || true
"$sshd" -t -f "$here/ssh/sshd_config" 2> ssh/check.err || skip "sshd refuses the test configuration: $(head -n 1 ssh/check.err)"
"$sshd" -f "$here/ssh/sshd_config" -E "$here/ssh/sshd.log" 2> ssh/start.err || skip "sshd cannot start: $(head -n 1 ssh/start.err)"
trap 'kill "$(cat "$here/ssh/sshd.pid" 2>/dev/null)" 2>/dev/null' EXIT
for i in $(seq 50); do [ -s ssh/sshd.pid ] && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
# Two logins on the server: two host names for 127.0.0.1, each its own parallel sshlogin.
cat > ssh/config <<EOF
Host shard-login-1 shard-login-2
  HostName 127.0.0.1
  Port $port
  User $user
  IdentityFile $here/ssh/user_key
  IdentitiesOnly yes
  UserKnownHostsFile $here/ssh/known_hosts
  StrictHostKeyChecking accept-new
  BatchMode yes
  LogLevel ERROR
EOF
chmod 600 ssh/config
got=$(ssh -F ssh/config shard-login-1 echo logged in 2> ssh/login.err) || skip "cannot log in to the test sshd: $(head -n 1 ssh/login.err)"
same_line "a login on the test sshd" "logged in" "$got"
same_line "the second login" "logged in" "$(ssh -F ssh/config shard-login-2 echo logged in 2>&1)"

E2E_PERSONS=6000 E2E_SAMPLE=1000 make_world world
expect_exit 0 "the single run" "$KETEN_ROOT/pipelines/eerste-jaar/run" world single
export PARALLEL_SSH="ssh -F $here/ssh/config"
expect_exit 0 "sharded 2 over two ssh logins" "$KETEN_ROOT/pipelines/sharded" 2 --sshlogin "1/shard-login-1,1/shard-login-2" world remote
has_text "the summary names the logins" remote/summary.txt '^shards: 2 on 1/shard-login-1,1/shard-login-2$'
ok_if "tables.csv identical to the single run's" cmp -s single/tables.csv remote/tables.csv
ok_if "report.md identical" cmp -s single/report.md remote/report.md
ok_if "persons identical" cmp -s <(gzip -dc single/persons.rec.gz) <(gzip -dc remote/persons.rec.gz)
ok_if "the same unlinked rows (in shard order)" cmp -s \
	<(gzip -dc single/unlinked.rec.gz | grep -v -e '^#schema' -e '^section,' | sort) \
	<(gzip -dc remote/unlinked.rec.gz | grep -v -e '^#schema' -e '^section,' | sort)
# The shards' logs and exit statuses came back from the hosts.
same_line "every per-shard stage's status came back: 0" "0 0 0" \
	"$(cat remote/logs/link-waves.status remote/logs/derive-status.status remote/logs/classify-support.status | tr '\n' ' ' | sed 's/ $//')"
has_text "link-waves' messages of both shards are in its log" remote/logs/link-waves.log 'persons written'
same_line "both shards reported" 2 "$(grep -c 'persons written' remote/logs/link-waves.log)"
# (parallel's work folders are ~/.parallel/tmp/HOST-PID-N; its own cache there is sshlogin/)
ok_if "no shard left in parallel's work folders on the host (--cleanup)" \
	bash -c "! ssh -F ssh/config shard-login-1 'ls ~/.parallel/tmp 2>/dev/null' | grep -v '^sshlogin\$' | grep -q ."

# A stage that fails on a host: the run fails and names it.
mkdir failbin && for p in "$KETEN_BIN"/*; do ln -s "$p" failbin/; done
rm failbin/derive-status && printf '#!/bin/sh\necho "derive-status: stdin:1: on purpose" >&2\nexit 1\n' > failbin/derive-status && chmod +x failbin/derive-status
expect_exit 1 "a stage failing on a host fails the run" env KETEN_BIN="$here/failbin" "$KETEN_ROOT/pipelines/sharded" 2 --sshlogin "1/shard-login-1,1/shard-login-2" world remote2
has_text "the reason names that stage and its message" err '^eerste-jaar: stage derive-status failed: derive-status: stdin:1: on purpose$'
ok_if "nothing published" test ! -e remote2
done_testing
