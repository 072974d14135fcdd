"""A throwaway PostgreSQL streaming replica of the tests' primary cluster, for tests/test_replica.py.

`pg_basebackup -R` copies the primary cluster into a temporary directory and
configures it as a standby; the copy then runs on a free loopback port and
streams the primary's WAL, so the test database created on the primary by
pytest-django reaches it, and so does every later commit. The replica is
run by the OS user that owns the primary's data (through runuser when the
tests run as root: PostgreSQL refuses to run as root) with the binaries of
the primary's major version, and is stopped and deleted at the end.

Replication needs a pg_hba.conf rule of its own (the keyword `all` does not
cover replication connections). When the primary has none for loopback but
already trusts every loopback connection to every database, one line is
added for the same loopback address and user, `trust` as well, and the
server's configuration reloaded: nothing is allowed that a superuser
connection, already allowed, cannot do. Any other setup stops with the
line to add by hand.
"""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg

REPLICATION_RULE_NOTE = "# Added by Policy Timeline's tests (tests/pg_replica.py): streaming replicas on loopback."
WAIT_SECONDS = 120
# A hot standby needs at least the primary's value of each.
STANDBY_LIMITS = ("max_connections", "max_worker_processes", "max_wal_senders", "max_prepared_transactions", "max_locks_per_transaction")


class ReplicaError(RuntimeError):
    pass


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(what, condition, seconds=WAIT_SECONDS):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise ReplicaError(f"Gave up after {seconds} s waiting for {what}.")
        time.sleep(0.05)


class StreamingReplica:
    def __init__(self, primary):
        """`primary`: a Django settings dict of the primary's database (HOST, PORT, USER, PASSWORD, NAME)."""
        self.primary = {
            "host": primary["HOST"] or "127.0.0.1",
            "port": int(primary["PORT"] or 5432),
            "user": primary["USER"] or "postgres",
            "password": primary["PASSWORD"] or None,
            "dbname": primary["NAME"],
        }
        self.port = _free_port()
        self.directory = None
        self._control = None

    # -- connections -----------------------------------------------------------------------

    def _connect_primary(self, **extra):
        params = {key: value for key, value in self.primary.items() if value is not None}
        return psycopg.connect(**{**params, **extra}, autocommit=True)

    def connect(self):
        """A connection to the replica's copy of the tests' database, outside Django's."""
        return self._connect_primary(host="127.0.0.1", port=self.port)

    def _replica_query(self, sql):
        if self._control is None or self._control.closed:
            self._control = self.connect()
        row = self._control.execute(sql).fetchone()
        return row[0] if row else None

    # -- processes -------------------------------------------------------------------------

    def _run(self, *args):
        """Run a PostgreSQL program as the cluster's owner; its output in the error when it fails."""
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", self.owner, "--", *command]
        environment = {**os.environ, **({"PGPASSWORD": self.primary["password"]} if self.primary["password"] else {})}
        done = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=600)
        if done.returncode:
            raise ReplicaError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
        return done

    def start(self):
        with self._connect_primary() as primary:
            major = int(primary.execute("SHOW server_version_num").fetchone()[0]) // 10000
            data_directory = primary.execute("SHOW data_directory").fetchone()[0]
            limits = {name: primary.execute(f"SHOW {name}").fetchone()[0] for name in STANDBY_LIMITS}
            self._allow_replication_on_loopback(primary)
        debian = Path(f"/usr/lib/postgresql/{major}/bin")
        self.bin = debian if debian.is_dir() else Path(subprocess.check_output(["pg_config", "--bindir"], text=True).strip())
        self.owner = pwd.getpwuid(os.stat(data_directory).st_uid).pw_name if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name

        self.directory = Path(tempfile.mkdtemp(prefix="pt-replica-"))
        owner = pwd.getpwnam(self.owner)
        os.chown(self.directory, owner.pw_uid, owner.pw_gid)
        self.data = self.directory / "data"
        # --checkpoint=fast: the copy starts at once instead of after a spread checkpoint;
        # --no-sync: a throwaway copy need not reach the disk.
        self._run(
            "pg_basebackup",
            *("-h", self.primary["host"], "-p", str(self.primary["port"]), "-U", self.primary["user"]),
            *("-D", str(self.data), "--write-recovery-conf", "--wal-method=stream", "--checkpoint=fast", "--no-sync", "--no-manifest"),
        )
        # Debian keeps a cluster's configuration outside its data directory, so
        # the copy may have none; a copy of another layout's would name the primary's port.
        files = {
            "postgresql.conf": "\n".join(
                [
                    f"port = {self.port}",
                    "listen_addresses = '127.0.0.1'",
                    f"unix_socket_directories = '{self.directory}'",
                    "hot_standby = on",
                    "fsync = off",
                    *(f"{name} = {value}" for name, value in limits.items()),
                    "",
                ]
            ),
            "pg_hba.conf": "local all all trust\nhost all all 127.0.0.1/32 trust\n",
            "pg_ident.conf": "",
        }
        for name, text in files.items():
            (self.data / name).write_text(text)
            os.chown(self.data / name, owner.pw_uid, owner.pw_gid)
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.directory / "replica.log"), "-w", "-t", str(WAIT_SECONDS), "start")
        self.wait_until_streaming()
        self.wait_for_replay()

    def stop(self):
        if self._control is not None:
            self._control.close()
        if self.directory is None:
            return
        try:
            if (self.data / "postmaster.pid").exists():
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)
            self.directory = None

    def stop_server(self):
        """Stop the replica's server, keeping its data, as a crashed or restarting replica."""
        self._control.close()
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def start_server(self):
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.directory / "replica.log"), "-w", "-t", str(WAIT_SECONDS), "start")
        self.wait_until_streaming()
        self.wait_for_replay()

    # -- replication -----------------------------------------------------------------------

    def _allow_replication_on_loopback(self, primary):
        if self._replication_connection_refusal() is None:
            return
        host, user = self.primary["host"], self.primary["user"]
        loopback_trusted = primary.execute(
            "SELECT EXISTS (SELECT FROM pg_hba_file_rules WHERE type = 'host' AND address = '127.0.0.1'"
            " AND netmask = '255.255.255.255' AND 'all' = ANY(database) AND 'all' = ANY(user_name) AND auth_method = 'trust')"
        ).fetchone()[0]
        rule = f"host replication {user} 127.0.0.1/32 trust"
        if host not in ("127.0.0.1", "localhost") or not loopback_trusted or os.geteuid() != 0:
            raise ReplicaError(
                f"The primary refuses replication connections ({self._replication_connection_refusal()}). "
                f"Add a pg_hba.conf rule for them, e.g. '{rule}', and reload PostgreSQL."
            )
        hba_file = Path(primary.execute("SHOW hba_file").fetchone()[0])
        with hba_file.open("a") as rules:
            rules.write(f"\n{REPLICATION_RULE_NOTE}\n{rule}\n")
        primary.execute("SELECT pg_reload_conf()")
        _wait_for("the primary to accept replication connections", lambda: self._replication_connection_refusal() is None, 10)

    def _replication_connection_refusal(self):
        """Why the primary refuses a replication connection, or None when it accepts one."""
        try:
            self._connect_primary(replication="true", dbname="replication").close()
        except psycopg.OperationalError as refusal:
            return str(refusal).strip()
        return None

    def wait_until_streaming(self):
        streaming = "SELECT status = 'streaming' FROM pg_stat_wal_receiver"
        _wait_for("the replica to stream from the primary", lambda: self._replica_query(streaming))

    def wait_for_replay(self):
        """Wait until the replica has replayed every commit made on the primary so far."""
        with self._connect_primary() as primary:
            written = primary.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
        _wait_for(f"the replica to replay up to {written}", lambda: self._replica_query(f"SELECT pg_last_wal_replay_lsn() >= '{written}'"))

    def pause_replay(self):
        self._replica_query("SELECT pg_wal_replay_pause()")
        _wait_for("replay to pause", lambda: self._replica_query("SELECT pg_get_wal_replay_pause_state()") == "paused")

    def resume_replay(self):
        self._replica_query("SELECT pg_wal_replay_resume()")
        self.wait_for_replay()
