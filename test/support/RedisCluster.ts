import { mkdirSync, rmSync } from 'fs';
import { join } from 'path';
import { AdminConnection } from './AdminConnection';
import { Polling } from './Polling';
import { RedisServer, RedisServerTls, RedisServerUser } from './RedisServer';

/** What a throwaway cluster looks like. */
export interface RedisClusterOptions {
    /** Number of masters, the 16384 slots split evenly between them; default 3. */
    masters?: number;
    /** Replicas of each master; default 1. */
    replicasPerMaster?: number;
    /** `requirepass` on every node, and `masterauth` so replicas can sync. */
    password?: string;
    /** ACL users on every node, as for [[RedisServer]]. */
    users?: RedisServerUser[];
    /** TLS for clients, the cluster bus and replication alike. */
    tls?: RedisServerTls;
    /**
     * `cluster-node-timeout`: how long a silent node takes to be suspected; a master's automatic
     * failover takes about twice this. Default 1000 ms (Redis's own default is 15 s).
     */
    nodeTimeoutMs?: number;
    /** Extra `--name value` arguments for every node. */
    args?: string[];
}

/** A master as the live cluster sees it. */
export interface RedisClusterMaster {
    /** Its process. */
    server: RedisServer;
    /** Its cluster node id. */
    id: string;
    /** The slot ranges it serves, inclusive, in ascending order. */
    slots: Array<[number, number]>;
}

/**
 * How [[RedisCluster.killMaster]] gets the dead master's replica promoted:
 * - `automatic`: as in production: the other masters notice the silence (node timeout), agree the
 *   master failed and the replica wins an election; about 2–3 node timeouts.
 * - `takeover`: the harness tells the replica `CLUSTER FAILOVER TAKEOVER` right after the kill, so
 *   it takes the slots at once without any vote; quick and deterministic.
 */
export type RedisClusterPromotion = 'automatic' | 'takeover';

/** Calls per command of one master, from INFO commandstats (keys like "get", "cluster|nodes"). */
export type RedisCommandCalls = Record<string, number>;

/** One process of the cluster with what the harness needs to drive it. */
interface ClusterNode {
    server: RedisServer;
    admin: AdminConnection;
    id: string;
    busPort: number;
}

/** One line of CLUSTER NODES. */
interface NodeEntry {
    id: string;
    port: number;
    flags: Set<string>;
    masterId: string | null;
    connected: boolean;
    slots: Array<[number, number]>;
}

/** What a node is in the cluster: a master of some slots, or a replica of a master (by id). */
type Role = { master: Array<[number, number]> } | { replicaOf: string };

const SLOTS = 16384;
// Bounds on the waits: forming takes well under a second on loopback, an automatic failover a few
// node timeouts (and one more round when the first election fails).
const FORM_TIMEOUT_MS = 20000;
const FAILOVER_TIMEOUT_MS = 20000;
// Flags of a node that is not (yet) a working member.
const UNHEALTHY_FLAGS = ['fail', 'fail?', 'handshake', 'noaddr'];
// How many free ports a node tries for its cluster bus when the one picked was taken meanwhile.
const BUS_PORT_ATTEMPTS = 3;

/**
 * A throwaway Redis Cluster of redis-server processes on free loopback ports, formed by the harness
 * itself with CLUSTER commands (no redis-cli), for suites that test clients against real slot
 * routing, MOVED redirections and failovers. Each node keeps its files (nodes.conf, any replication
 * snapshot) in a temporary directory of the cluster, removed by [[stop]] or at process exit; every
 * process is a [[RedisServer]], so it is killed at exit too.
 *
 * Every method that changes the cluster returns only once all running nodes agree on who serves
 * which slots, report `cluster_state:ok`, and every replica's link to its master is up.
 */
export class RedisCluster {
    /** Every process of the cluster, masters first in start order; killed ones stay listed (not running). */
    public readonly nodes: readonly RedisServer[];
    private readonly _members: ClusterNode[];
    private readonly _dir: string;
    // The replica cutReplication froze, thawed by killMaster.
    private _frozen: RedisServer | null = null;

    private constructor(members: ClusterNode[], dir: string) {
        this._members = members;
        this._dir = dir;
        this.nodes = members.map(m => m.server);
    }

    /**
     * Why this redis-server cannot run the harness's cluster, or null when it can. The harness
     * needs Redis 7.0 or newer (`--cluster-port`, CLUSTER ADDSLOTSRANGE).
     */
    public static unsupportedReason(): string | null {
        const version = RedisServer.version();
        const major = Number(version.split('.')[0]);
        return major >= 7 ? null : 'redis-server ' + version + ' is older than 7.0, which the cluster harness '
            + 'needs (--cluster-port, CLUSTER ADDSLOTSRANGE)';
    }

    /**
     * Starts the nodes, forms the cluster and waits until it is ready.
     *
     * @param options   size, credentials, TLS, node timeout.
     * @returns the ready cluster.
     * @throws Error when a node cannot start or the cluster does not settle in time; whatever was
     *     started is stopped first.
     */
    public static async start(options: RedisClusterOptions = {}): Promise<RedisCluster> {
        const masters = options.masters ?? 3;
        const replicas = options.replicasPerMaster ?? 1;
        if (masters < 1 || replicas < 0) throw new Error('a cluster needs at least one master and no negative replica count');
        const dir = RedisServer.temporaryDirectory('redis-cluster-');
        const launched = await Promise.allSettled(Array.from({ length: masters * (1 + replicas) },
            (_, index) => RedisCluster.startNode(options, join(dir, 'node-' + index))));
        const members = launched.filter(r => r.status == 'fulfilled').map(r => r.value);
        const cluster = new RedisCluster(members, dir);
        const failed = launched.find(r => r.status == 'rejected');
        try {
            if (failed != null) throw failed.reason;
            await cluster.form(masters, replicas);
            return cluster;
        } catch (err) {
            await cluster.stop();
            throw err;
        }
    }

    private static async startNode(options: RedisClusterOptions, dir: string): Promise<ClusterNode> {
        // RedisServer.start retries a taken client port itself; a taken bus port is ours to retry.
        for (let attempt = 1; ; attempt++) {
            // Afresh each time: a failed attempt may have left a nodes.conf naming its ports.
            rmSync(dir, { recursive: true, force: true });
            mkdirSync(dir);
            const busPort = await RedisServer.freePort();
            try {
                return await RedisCluster.startNodeOn(busPort, options, dir);
            } catch (err) {
                if (attempt >= BUS_PORT_ATTEMPTS || !RedisServer.isAddressInUse(err)) throw err;
            }
        }
    }

    private static async startNodeOn(busPort: number, options: RedisClusterOptions, dir: string): Promise<ClusterNode> {
        const args = [
            '--cluster-enabled', 'yes', '--cluster-port', String(busPort),
            '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', String(options.nodeTimeoutMs ?? 1000),
            // A replica's full sync lands here (dump.rdb), not in the working directory of the tests.
            '--dir', dir,
            // A master otherwise waits 5 s for more replicas before it starts a (diskless) full sync.
            '--repl-diskless-sync-delay', '0'
        ];
        if (options.password) args.push('--masterauth', options.password);
        if (options.tls != null) args.push('--tls-cluster', 'yes', '--tls-replication', 'yes');
        const server = await RedisServer.start({
            password: options.password, users: options.users, tls: options.tls,
            args: [...args, ...(options.args ?? [])]
        });
        const admin = new AdminConnection({ host: server.host, port: server.port, password: options.password, tls: options.tls });
        try {
            const id = String(await admin.command('CLUSTER', 'MYID'));
            return { server, admin, id, busPort };
        } catch (err) {
            admin.close();
            await server.stop();
            throw err;
        }
    }

    /**
     * Gives each master its share of the slots, introduces every node to the first one, attaches the
     * replicas, and waits until every node sees exactly that.
     */
    private async form(masters: number, replicas: number): Promise<void> {
        const expected = new Map<string, Role>();
        // Distinct config epochs up front: otherwise all masters claim epoch 0 and the cluster spends
        // a while resolving the collision before it agrees on the slots.
        await Promise.all(this._members.map((m, i) => m.admin.command('CLUSTER', 'SET-CONFIG-EPOCH', String(i + 1))));
        await Promise.all(this._members.slice(0, masters).map(async (m, i) => {
            const first = Math.floor(i * SLOTS / masters);
            const last = Math.floor((i + 1) * SLOTS / masters) - 1;
            await m.admin.command('CLUSTER', 'ADDSLOTSRANGE', String(first), String(last));
            expected.set(m.id, { master: [[first, last]] });
        }));
        const seed = this._members[0];
        await Promise.all(this._members.slice(1).map(m =>
            m.admin.command('CLUSTER', 'MEET', seed.server.host, String(seed.server.port), String(seed.busPort))));
        await Promise.all(this._members.slice(masters).map(async (replica, index) => {
            const master = this._members[Math.floor(index / replicas)];
            expected.set(replica.id, { replicaOf: master.id });
            // A replica can only follow a master it already heard of through the gossip.
            await Polling.until(replica.server.port + ' to replicate ' + master.server.port, async () => {
                await replica.admin.command('CLUSTER', 'REPLICATE', master.id);
                return null;
            }, FORM_TIMEOUT_MS);
        }));
        await Polling.until('the cluster of ' + this._members.length + ' nodes to settle',
            () => this.unsettled(expected), FORM_TIMEOUT_MS);
    }

    /** Host and port of every running node, to seed a cluster client with. */
    public rootNodes(): Array<{ host: string; port: number }> {
        return this.running().map(m => ({ host: m.server.host, port: m.server.port }));
    }

    /** The masters serving slots now, as the live cluster reports them, in slot order. */
    public async masters(): Promise<RedisClusterMaster[]> {
        const roles = await this.roles();
        const masters: RedisClusterMaster[] = [];
        for (const [id, role] of roles) {
            if ('master' in role && role.master.length > 0) masters.push({ server: this.memberById(id).server, id, slots: role.master });
        }
        return masters.sort((a, b) => a.slots[0][0] - b.slots[0][0]);
    }

    /**
     * The hash slot of a key (CLUSTER KEYSLOT, so hash tags count as Redis counts them).
     *
     * @param key   any key.
     */
    public async keySlot(key: string): Promise<number> {
        return Number(await this.anyRunning().admin.command('CLUSTER', 'KEYSLOT', key));
    }

    /**
     * The master serving a slot, or the slot of a key, now.
     *
     * @param slotOrKey a slot number, or a key whose slot is meant.
     * @throws Error when no master serves the slot.
     */
    public async masterOf(slotOrKey: number | string): Promise<RedisServer> {
        const slot = typeof slotOrKey == 'number' ? slotOrKey : await this.keySlot(slotOrKey);
        const master = (await this.masters()).find(m => m.slots.some(([first, last]) => first <= slot && slot <= last));
        if (master == null) throw new Error('no master serves slot ' + slot);
        return master.server;
    }

    /**
     * The running replicas of a master, now.
     *
     * @param master    one of [[nodes]], a master.
     */
    public async replicasOf(master: RedisServer): Promise<RedisServer[]> {
        const masterId = this.memberOf(master).id;
        const roles = await this.roles();
        return [...roles].filter(([, role]) => 'replicaOf' in role && role.replicaOf == masterId)
            .map(([id]) => this.memberById(id).server);
    }

    /**
     * The (first) running replica of a master, now.
     *
     * @param master    one of [[nodes]], a master.
     * @throws Error when it has no running replica.
     */
    public async replicaOf(master: RedisServer): Promise<RedisServer> {
        const [replica] = await this.replicasOf(master);
        if (replica == null) throw new Error(master.host + ':' + master.port + ' has no running replica');
        return replica;
    }

    /**
     * Kills a master (SIGKILL: no goodbye to the cluster, clients see their connections drop) and
     * waits until one of its replicas serves its slots and the surviving nodes are settled again.
     *
     * @param master    one of [[nodes]], a master with a running replica.
     * @param promotion how the replica takes over; default `takeover` (see [[RedisClusterPromotion]]).
     * @returns the promoted replica, now a master.
     */
    public async killMaster(master: RedisServer, promotion: RedisClusterPromotion = 'takeover'): Promise<RedisServer> {
        const dead = this.memberOf(master);
        const before = await this.rolesOfMaster(master);
        const candidates = this._frozen != null ? [this._frozen] : await this.replicasOf(master);
        if (candidates.length == 0) throw new Error('cannot kill ' + master.port + ' expecting a promotion: it has no running replica');
        await master.stop();
        dead.admin.close();
        this._frozen?.resume();
        this._frozen = null;
        if (promotion == 'takeover') await this.memberOf(candidates[0]).admin.command('CLUSTER', 'FAILOVER', 'TAKEOVER');
        return this.awaitPromotion(before, dead, candidates,
            'a replica of the killed master ' + master.port + ' to be promoted (' + promotion + ')');
    }

    /**
     * Freezes a master's replica (SIGSTOP) and cuts its replication link on the master (CLIENT KILL
     * TYPE replica), so writes the master takes from now on never reach it (a frozen process still
     * receives into its socket buffer, so a freeze alone would not lose them). [[killMaster]] then
     * thaws it right after the kill and promotes it: those writes are lost, as in a real failover.
     *
     * @param master    one of [[nodes]], a master with a running replica.
     * @returns the frozen replica.
     */
    public async cutReplication(master: RedisServer): Promise<RedisServer> {
        const replica = await this.replicaOf(master);
        replica.pause();
        this._frozen = replica;
        await this.memberOf(master).admin.command('CLIENT', 'KILL', 'TYPE', 'replica');
        return replica;
    }

    /**
     * A graceful, manual failover (CLUSTER FAILOVER on a replica): the master stops taking writes
     * until the replica caught up, then they switch roles without losing a write. Waits until the
     * old master is a replica of the new one, linked, and every node agrees.
     *
     * @param master    one of [[nodes]], a master with a running replica.
     * @returns the new master (the old master's replica).
     */
    public async failover(master: RedisServer): Promise<RedisServer> {
        const old = this.memberOf(master);
        const before = await this.rolesOfMaster(master);
        const replica = await this.replicaOf(master);
        await this.memberOf(replica).admin.command('CLUSTER', 'FAILOVER');
        return this.awaitPromotion(before, old, [replica], replica.port + ' to take over from ' + master.port);
    }

    /**
     * Calls per command on each current master, from INFO commandstats, since start or the last
     * [[resetCommandStats]]. The harness's own commands (CLUSTER, INFO) count too; look at the
     * commands under test.
     */
    public async commandStats(): Promise<Map<RedisServer, RedisCommandCalls>> {
        const stats = new Map<RedisServer, RedisCommandCalls>();
        for (const master of await this.masters()) {
            const calls: RedisCommandCalls = {};
            for (const [field, value] of await this.memberOf(master.server).admin.info('commandstats')) {
                const count = /(?:^|,)calls=(\d+)/.exec(value);
                if (field.startsWith('cmdstat_') && count != null) calls[field.slice('cmdstat_'.length)] = Number(count[1]);
            }
            stats.set(master.server, calls);
        }
        return stats;
    }

    /** Zeroes the command statistics of every running node (CONFIG RESETSTAT). */
    public async resetCommandStats(): Promise<void> {
        await Promise.all(this.running().map(m => m.admin.command('CONFIG', 'RESETSTAT')));
    }

    /** Kills every node (SIGKILL) and removes the cluster's directory. Safe to call twice. */
    public async stop(): Promise<void> {
        for (const member of this._members) member.admin.close();
        await Promise.all(this._members.map(m => m.server.stop()));
        rmSync(this._dir, { recursive: true, force: true, maxRetries: 3 });
    }

    /**
     * The roles of the running nodes now, after checking `master` is one of them serving slots.
     *
     * @throws Error when `master` is not running or serves no slot.
     */
    private async rolesOfMaster(master: RedisServer): Promise<Map<string, Role>> {
        const roles = await this.roles();
        const role = roles.get(this.memberOf(master).id);
        if (role == null || !('master' in role) || role.master.length == 0) {
            throw new Error(master.port + ' is not a running master serving slots');
        }
        return roles;
    }

    /**
     * Waits until one of `candidates` serves the slots `old` served in `before`, `old` (if still
     * running) and the other candidates replicate it, and all running nodes agree.
     */
    private async awaitPromotion(before: Map<string, Role>, old: ClusterNode, candidates: RedisServer[],
        what: string): Promise<RedisServer> {
        const oldRole = before.get(old.id)!;
        const candidateIds = candidates.map(c => this.memberOf(c).id);
        let promoted: ClusterNode | null = null;
        await Polling.until(what, async () => {
            // Which candidate won is the cluster's choice when several replicas could.
            const now = await this.roles();
            const winner = candidateIds.find(id => { const role = now.get(id); return role != null && 'master' in role; });
            if (winner == null) return 'no candidate is a master yet';
            promoted = this.memberById(winner);
            const expected = new Map(before);
            expected.set(winner, oldRole);
            for (const [id, role] of before) {
                if ('replicaOf' in role && role.replicaOf == old.id && id != winner) expected.set(id, { replicaOf: winner });
            }
            if (old.server.isRunning()) expected.set(old.id, { replicaOf: winner });
            else expected.delete(old.id);
            return this.unsettled(expected);
        }, FAILOVER_TIMEOUT_MS);
        return promoted!.server;
    }

    /**
     * What keeps the running nodes from being settled on `expected` (the roles of exactly the
     * running nodes), or null when nothing does.
     */
    private async unsettled(expected: Map<string, Role>): Promise<string | null> {
        const want = this.describe(expected);
        for (const member of this.running()) {
            const name = 'node ' + member.server.port;
            const state = String(await member.admin.command('CLUSTER', 'INFO'));
            if (!state.includes('cluster_state:ok')) return name + ' reports ' + (/cluster_state:\w+/.exec(state)?.[0] ?? state);
            const entries = RedisCluster.parseNodes(String(await member.admin.command('CLUSTER', 'NODES')));
            for (const other of this.running()) {
                const entry = entries.find(e => e.id == other.id);
                if (entry == null) return name + ' does not know ' + other.server.port + ' yet';
                const bad = UNHEALTHY_FLAGS.filter(f => entry.flags.has(f));
                if (bad.length > 0) return name + ' flags ' + other.server.port + ' ' + bad.join(',');
                if (!entry.connected && other != member) return name + ' has no link to ' + other.server.port;
            }
            const seen = this.describe(this.rolesIn(entries));
            if (seen != want) return name + ' sees ' + seen + ' instead of ' + want;
            const role = expected.get(member.id);
            if (role != null && 'replicaOf' in role) {
                const replication = await member.admin.info('replication');
                const masterPort = String(this.memberById(role.replicaOf).server.port);
                if (replication.get('master_port') != masterPort || replication.get('master_link_status') != 'up'
                    || replication.get('master_sync_in_progress') != '0') {
                    return name + ' has no live link to its master ' + masterPort + ' (master_port:'
                        + replication.get('master_port') + ', master_link_status:' + replication.get('master_link_status') + ')';
                }
            }
        }
        const covered = [...expected.values()].reduce((sum, role) =>
            sum + ('master' in role ? role.master.reduce((n, [first, last]) => n + last - first + 1, 0) : 0), 0);
        return covered == SLOTS ? null : 'only ' + covered + ' of ' + SLOTS + ' slots are served';
    }

    /** The roles of the running nodes, as the first running node that answers sees them. */
    private async roles(): Promise<Map<string, Role>> {
        let lastError: unknown = new Error('no node of the cluster is running');
        for (const member of this.running()) {
            try {
                return this.rolesIn(RedisCluster.parseNodes(String(await member.admin.command('CLUSTER', 'NODES'))));
            } catch (err) {
                lastError = err;
            }
        }
        throw lastError;
    }

    /** The roles of the running nodes in one node's CLUSTER NODES. */
    private rolesIn(entries: NodeEntry[]): Map<string, Role> {
        const roles = new Map<string, Role>();
        for (const entry of entries) {
            const member = this._members.find(m => m.id == entry.id);
            if (member == null || !member.server.isRunning()) continue;
            roles.set(entry.id, entry.flags.has('master') ? { master: entry.slots } : { replicaOf: entry.masterId ?? '-' });
        }
        return roles;
    }

    /** A canonical text of roles, to compare two views and to show in messages (by port, not id). */
    private describe(roles: Map<string, Role>): string {
        const port = (id: string) => this._members.find(m => m.id == id)?.server.port ?? id;
        return [...roles].map(([id, role]) => port(id) + ' ' + ('master' in role
            ? 'master of ' + role.master.map(([first, last]) => first + '-' + last).join(',')
            : 'replica of ' + port(role.replicaOf)))
            .sort().join('; ');
    }

    /**
     * Parses CLUSTER NODES: `<id> <ip:port@busport[,hostname]> <flags> <master id or -> <ping sent>
     * <pong received> <config epoch> <link state> <slot or range>...`; slots being imported or
     * migrated (`[slot->-id]`) are left out.
     */
    private static parseNodes(text: string): NodeEntry[] {
        return text.split('\n').filter(line => line.trim() != '').map(line => {
            const fields = line.trim().split(' ');
            const slots = fields.slice(8).filter(s => !s.startsWith('[')).map(s => {
                const [first, last] = s.split('-').map(Number);
                return [first, last ?? first] as [number, number];
            }).sort((a, b) => a[0] - b[0]);
            return {
                id: fields[0],
                port: Number(fields[1].split('@')[0].split(':').pop()),
                flags: new Set(fields[2].split(',')),
                masterId: fields[3] == '-' ? null : fields[3],
                connected: fields[7] == 'connected',
                slots
            };
        });
    }

    private running(): ClusterNode[] {
        return this._members.filter(m => m.server.isRunning());
    }

    private anyRunning(): ClusterNode {
        const member = this.running()[0];
        if (member == null) throw new Error('no node of the cluster is running');
        return member;
    }

    private memberOf(server: RedisServer): ClusterNode {
        const member = this._members.find(m => m.server === server);
        if (member == null) throw new Error('server ' + server.port + ' is not a node of this cluster');
        return member;
    }

    private memberById(id: string): ClusterNode {
        const member = this._members.find(m => m.id == id);
        if (member == null) throw new Error('node id ' + id + ' is not a node this harness started');
        return member;
    }
}
