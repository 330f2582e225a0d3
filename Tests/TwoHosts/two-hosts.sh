#!/usr/bin/env bash
# Runs an MPI command on two "hosts" on this machine: two network namespaces, each joined to the
# root namespace by a veth pair (10.213.1.0/24 and 10.213.2.0/24, routed through the root namespace
# with net.ipv4.ip_forward=1), named in /etc/hosts, with mpirun starting one Open MPI daemon in each
# through an rsh agent that runs `ip netns exec HOST sh -c "COMMAND"`. Ranks talk over TCP only.
#
#   Tests/TwoHosts/two-hosts.sh COMMAND [ARGUMENT...]      mpirun -np 2, one rank per namespace
#   TWO_HOSTS_RANKS=4 Tests/TwoHosts/two-hosts.sh ...      more ranks, shared round-robin
#
# Needs root and `ip netns` (exits 0 with "skipped: …" where namespaces are not allowed). Every
# namespace, link, /etc/hosts line and sysctl it changes is put back on exit. The filesystem is
# shared, so the same paths work in both "hosts".
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 COMMAND [ARGUMENT...]" >&2; exit 2; }
skip() { echo "skipped: $*"; exit 0; }
[ "$(id -u)" -eq 0 ] || skip "network namespaces need root"
command -v ip >/dev/null || skip "the ip command (iproute2) is missing"
command -v mpirun >/dev/null || skip "mpirun is missing (apt-get install openmpi-bin)"

tag=$$                                   # several runs at once get their own names
hostA=glossa-a$tag hostB=glossa-b$tag
subnet=10.213.0.0/16
work=$(mktemp -d)
forward=$(sysctl -n net.ipv4.ip_forward)
marker="# glossa two-hosts $tag"

cleanup() {
    ip netns del "$hostA" 2>/dev/null || true
    ip netns del "$hostB" 2>/dev/null || true
    ip link del "va$tag" 2>/dev/null || true
    ip link del "vb$tag" 2>/dev/null || true
    if grep -q "$marker" /etc/hosts; then
        (flock 9; grep -v "$marker" /etc/hosts > "$work/hosts"; cat "$work/hosts" > /etc/hosts) 9>/tmp/glossa-two-hosts.lock
    fi
    # Put ip_forward back only if no other run is still using it.
    if ! ls /run/netns 2>/dev/null | grep -q '^glossa-[ab]'; then sysctl -qw net.ipv4.ip_forward="$forward" || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

ip netns add "$hostA" 2>/dev/null || skip "ip netns add is not allowed here"
ip netns add "$hostB"
# One veth pair per host: the end named va$tag / vb$tag stays in the root namespace (the router).
connect() { # HOST LINK NET
    ip link add "$2" type veth peer name "$2p"
    ip link set "$2p" netns "$1"
    ip addr add "10.213.$3.1/24" dev "$2"
    ip link set "$2" up
    ip netns exec "$1" ip addr add "10.213.$3.2/24" dev "$2p"
    ip netns exec "$1" ip link set "$2p" up
    ip netns exec "$1" ip link set lo up
    ip netns exec "$1" ip route add default via "10.213.$3.1"
}
connect "$hostA" "va$tag" 1
connect "$hostB" "vb$tag" 2
sysctl -qw net.ipv4.ip_forward=1
(flock 9; printf '10.213.1.2 %s %s\n10.213.2.2 %s %s\n' "$hostA" "$marker" "$hostB" "$marker" >> /etc/hosts) 9>/tmp/glossa-two-hosts.lock

# mpirun calls AGENT HOST COMMAND...; the daemon (orted) starts inside that host's namespace. Both
# "hosts" share the hostname and /tmp, so each gets its own TMPDIR: Open MPI's session directories
# (/tmp/ompi.HOSTNAME.UID/…) would otherwise collide (mkdir "File exists", orte_init failing).
mkdir -p "$work/$hostA" "$work/$hostB"
cat > "$work/agent" <<AGENT
#!/bin/sh
host=\$1
shift
exec ip netns exec "\$host" env TMPDIR="$work/\$host" sh -c "\$*"
AGENT
chmod +x "$work/agent"

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
ranks=${TWO_HOSTS_RANKS:-2}
mpirun --mca plm_rsh_agent "$work/agent" --mca btl tcp,self \
    --mca btl_tcp_if_include "$subnet" --mca oob_tcp_if_include "$subnet" \
    --host "$hostA:$(( (ranks + 1) / 2 )),$hostB:$(( ranks / 2 ))" -np "$ranks" --oversubscribe --bind-to none \
    -x OPENBLAS_NUM_THREADS=1 -x PATH "$@"
