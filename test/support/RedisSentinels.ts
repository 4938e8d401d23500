import { mkdirSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { AdminConnection } from './AdminConnection';
import { Polling } from './Polling';
import { RedisServer } from './RedisServer';

/** What a throwaway sentinel setup looks like. */
export interface RedisSentinelsOptions {
    /**
     * One credential for everything: `requirepass` and `masterauth` on both data nodes,
     * `sentinel auth-pass` for the sentinels to reach them, and `requirepass` on the sentinels
     * (which they also use to reach each other).
     */
    password?: string;
    /** The name the sentinels monitor the master under; default "harness-master". */
    masterName?: string;
    /** `down-after-milliseconds`: how long a silent master takes to be suspected; default 1000. */
    downAfterMs?: number;
    /**
     * `failover-timeout`: besides bounding one failover, a sentinel waits twice this before it tries
     * the same master again (after an aborted attempt, or after voting for another sentinel); default 2000.
     */
    failoverTimeoutMs?: number;
}

/** One data node or sentinel with the harness's line to it. */
interface Member {
    server: RedisServer;
    admin: AdminConnection;
}

// Three sentinels, two of which must agree the master is down; a majority (two) elects the leader.
const SENTINELS = 3;
const QUORUM = 2;
// Bounds on the waits: discovery needs a couple of hello rounds (2 s each); a failover after a
// kill the down-after time, an election (which may need a second round) and the promotion.
const DISCOVERY_TIMEOUT_MS = 15000;
const FAILOVER_TIMEOUT_MS = 20000;

/**
 * A throwaway Redis Sentinel setup on free loopback ports: one master, one replica and three
 * sentinels (quorum 2) monitoring it, for suites that test clients finding the master through the
 * sentinels and surviving a failover. Each sentinel has a config file of its own (sentinels rewrite
 * it) in a temporary directory of the setup, removed by [[stop]] or at process exit; every process
 * is a [[RedisServer]], so it is killed at exit too.
 *
 * [[start]] returns once every sentinel knows the master, the replica and the other sentinels, so a
 * failover works right away.
 */
export class RedisSentinels {
    /** The name the sentinels know the master by. */
    public readonly masterName: string;
    private readonly _data: Member[];
    private readonly _sentinels: Member[];
    private readonly _dir: string;
    private _paused: RedisServer | null = null;

    private constructor(masterName: string, data: Member[], sentinels: Member[], dir: string) {
        this.masterName = masterName;
        this._data = data;
        this._sentinels = sentinels;
        this._dir = dir;
    }

    /**
     * Why this redis-server cannot run the harness's sentinels, or null when it can. The harness
     * needs Redis 6.2 or newer (SENTINEL REPLICAS, sentinels with their own `requirepass`).
     */
    public static unsupportedReason(): string | null {
        const version = RedisServer.version();
        const [major, minor] = version.split('.').map(Number);
        return major > 6 || (major == 6 && minor >= 2) ? null : 'redis-server ' + version
            + ' is older than 6.2, which the sentinel harness needs (SENTINEL REPLICAS, requirepass on sentinels)';
    }

    /**
     * Starts the master, its replica and the sentinels, and waits until the sentinels know them all.
     *
     * @param options   credential, master name, timings.
     * @returns the ready setup.
     * @throws Error when a process cannot start or the sentinels do not discover everything in time;
     *     whatever was started is stopped first.
     */
    public static async start(options: RedisSentinelsOptions = {}): Promise<RedisSentinels> {
        const name = options.masterName ?? 'harness-master';
        const dir = RedisServer.temporaryDirectory('redis-sentinel-');
        const data: Member[] = [];
        const sentinels: Member[] = [];
        const setup = new RedisSentinels(name, data, sentinels, dir);
        try {
            const master = await RedisSentinels.startData(options, join(dir, 'data-0'), null);
            data.push(master);
            data.push(await RedisSentinels.startData(options, join(dir, 'data-1'), master.server));
            const started = await Promise.allSettled(Array.from({ length: SENTINELS }, (_, i) =>
                RedisSentinels.startSentinel(options, name, master.server, join(dir, 'sentinel-' + i))));
            for (const result of started) if (result.status == 'fulfilled') sentinels.push(result.value);
            const failed = started.find(r => r.status == 'rejected');
            if (failed != null) throw failed.reason;
            await Polling.until('every sentinel to discover the master, the replica and the other sentinels',
                () => setup.notReadyForFailover(master.server), DISCOVERY_TIMEOUT_MS);
            return setup;
        } catch (err) {
            await setup.stop();
            throw err;
        }
    }

    /** Starts a data node: the master when `master` is null, else its replica. */
    private static async startData(options: RedisSentinelsOptions, dir: string, master: RedisServer | null): Promise<Member> {
        mkdirSync(dir);
        // Both nodes get masterauth: whichever is the master now becomes a replica after a failover.
        const args = ['--dir', dir, '--repl-diskless-sync-delay', '0'];
        if (options.password) args.push('--masterauth', options.password);
        if (master != null) args.push('--replicaof', master.host, String(master.port));
        const server = await RedisServer.start({ password: options.password, args });
        const member = { server, admin: new AdminConnection({ host: server.host, port: server.port, password: options.password }) };
        if (master != null) {
            await Polling.until('the replica ' + server.port + ' to sync with ' + master.port, async () => {
                const replication = await member.admin.info('replication');
                return replication.get('master_link_status') == 'up' ? null
                    : 'master_link_status:' + replication.get('master_link_status');
            }, DISCOVERY_TIMEOUT_MS);
        }
        return member;
    }

    private static async startSentinel(options: RedisSentinelsOptions, name: string, master: RedisServer,
        dir: string): Promise<Member> {
        mkdirSync(dir);
        const configFile = join(dir, 'sentinel.conf');
        const lines = [
            'sentinel monitor ' + name + ' ' + master.host + ' ' + master.port + ' ' + QUORUM,
            'sentinel down-after-milliseconds ' + name + ' ' + (options.downAfterMs ?? 1000),
            'sentinel failover-timeout ' + name + ' ' + (options.failoverTimeoutMs ?? 2000),
            'sentinel parallel-syncs ' + name + ' 1'
        ];
        if (options.password) lines.push('sentinel auth-pass ' + name + ' ' + options.password);
        writeFileSync(configFile, lines.join('\n') + '\n');
        const server = await RedisServer.start({ sentinelConfigFile: configFile, password: options.password, args: ['--dir', dir] });
        return { server, admin: new AdminConnection({ host: server.host, port: server.port, password: options.password }) };
    }

    /** Host and port of every running sentinel, to configure a client with. */
    public sentinelNodes(): Array<{ host: string; port: number }> {
        return this._sentinels.filter(s => s.server.isRunning()).map(s => ({ host: s.server.host, port: s.server.port }));
    }

    /** Both data nodes, the first started as master; killed ones stay listed (not running). */
    public get dataNodes(): readonly RedisServer[] {
        return this._data.map(d => d.server);
    }

    /** The sentinel processes. */
    public get sentinels(): readonly RedisServer[] {
        return this._sentinels.map(s => s.server);
    }

    /**
     * The master now, as the sentinels report it (SENTINEL GET-MASTER-ADDR-BY-NAME).
     *
     * @throws Error when the running sentinels disagree (a failover is under way).
     */
    public async master(): Promise<RedisServer> {
        const ports = await this.reportedMasterPorts();
        if (new Set(ports).size != 1) throw new Error('the sentinels disagree on the master: ports ' + ports.join(', '));
        return this.dataNode(ports[0]).server;
    }

    /**
     * The replica now: the data node that is not the master the sentinels report.
     *
     * @throws Error when the sentinels disagree, or the replica was killed.
     */
    public async replica(): Promise<RedisServer> {
        const master = await this.master();
        const replica = this._data.find(d => d.server !== master)!.server;
        if (!replica.isRunning()) throw new Error('the replica ' + replica.port + ' was killed');
        return replica;
    }

    /**
     * A failover on request (SENTINEL FAILOVER): the sentinels promote the replica. Waits first until
     * the sentinels know a replica fit for promotion, then until every sentinel reports the new master
     * and it says it is a master, then demotes the old master to a replica of the new one and waits
     * until it is in sync.
     *
     * The demotion is the harness's: the sentinels themselves reconfigure the old master only when
     * they next poll it (INFO every 10 s), so it would stay a writable master for ~10 s after the
     * switch (and a second failover would have no replica to promote until then). The harness does
     * what they would (REPLICAOF, then CLIENT KILL of its normal and pub/sub clients, so clients
     * reconnect and ask the sentinels again), just at once.
     *
     * @returns the new master.
     */
    public async failover(): Promise<RedisServer> {
        const old = await this.master();
        const next = await this.replica();
        await Polling.until('the sentinels to know a replica fit for a failover of ' + old.port,
            () => this.notReadyForFailover(old), FAILOVER_TIMEOUT_MS);
        await this.anySentinel().admin.command('SENTINEL', 'FAILOVER', this.masterName);
        await this.awaitMaster(next, 'the sentinels to fail over from ' + old.port + ' to ' + next.port);
        const demoted = this.dataNode(old.port).admin;
        await demoted.command('REPLICAOF', next.host, String(next.port));
        await demoted.command('CLIENT', 'KILL', 'TYPE', 'normal');
        await demoted.command('CLIENT', 'KILL', 'TYPE', 'pubsub');
        await Polling.until('the old master ' + old.port + ' to replicate the new one ' + next.port,
            () => this.notReadyForFailover(next), FAILOVER_TIMEOUT_MS);
        return next;
    }

    /**
     * Kills the master (SIGKILL) and waits until the sentinels notice (down-after-milliseconds),
     * agree, elect a leader and promote the replica, and every sentinel reports it. A replica paused
     * by [[pauseReplica]] is resumed right after the kill, so it never got the writes the master
     * took meanwhile: those are lost, as in a real failover.
     *
     * @returns the new master.
     */
    public async killMaster(): Promise<RedisServer> {
        const old = await this.master();
        const next = await this.replica();
        if (this._paused !== next) {
            await Polling.until('the sentinels to know a replica fit for a failover of ' + old.port,
                () => this.notReadyForFailover(old), FAILOVER_TIMEOUT_MS);
        }
        await old.stop();
        this.dataNode(old.port).admin.close();
        this.resumeReplica();
        await this.awaitMaster(next, 'the sentinels to promote ' + next.port + ' after the master ' + old.port + ' was killed');
        return next;
    }

    /**
     * Freezes the replica (SIGSTOP) and cuts its replication link on the master (CLIENT KILL TYPE
     * replica), so writes the master takes from now on never reach it: a frozen process still
     * receives into its socket buffer, so a freeze alone would not lose them. Resumed while the
     * master lives, the replica reconnects and catches up; after [[killMaster]] the writes are lost.
     * Frozen longer than down-after-milliseconds, the replica is considered down by the sentinels too.
     */
    public async pauseReplica(): Promise<void> {
        const master = await this.master();
        const replica = await this.replica();
        replica.pause();
        this._paused = replica;
        await this.dataNode(master.port).admin.command('CLIENT', 'KILL', 'TYPE', 'replica');
    }

    /** Thaws the replica [[pauseReplica]] froze; nothing when none is frozen. */
    public resumeReplica(): void {
        this._paused?.resume();
        this._paused = null;
    }

    /** Kills every process (SIGKILL) and removes the setup's directory. Safe to call twice. */
    public async stop(): Promise<void> {
        this.resumeReplica();
        const members = [...this._sentinels, ...this._data];
        for (const member of members) member.admin.close();
        await Promise.all(members.map(m => m.server.stop()));
        rmSync(this._dir, { recursive: true, force: true, maxRetries: 3 });
    }

    /** Waits until every running sentinel reports `next` as the master and `next` says it is one. */
    private async awaitMaster(next: RedisServer, what: string): Promise<void> {
        await Polling.until(what, async () => {
            const ports = await this.reportedMasterPorts();
            const behind = ports.filter(p => p != next.port);
            if (behind.length > 0) return ports.length - behind.length + ' of ' + ports.length + ' sentinels report ' + next.port;
            const role = (await this.dataNode(next.port).admin.info('replication')).get('role');
            return role == 'master' ? null : next.port + ' reports role ' + role;
        }, FAILOVER_TIMEOUT_MS);
    }

    /** The master port each running sentinel reports. */
    private async reportedMasterPorts(): Promise<number[]> {
        return Promise.all(this._sentinels.filter(s => s.server.isRunning()).map(async s => {
            const [, port] = await s.admin.command('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', this.masterName) as string[];
            return Number(port);
        }));
    }

    /**
     * What keeps a failover of `master` from working right away, or null when nothing does: the other
     * data node replicates `master` with a live link (asked directly: the sentinels' copy of its
     * replication state is up to 10 s old), and every running sentinel sees `master` up, knows the
     * other data node as a replica that answers, and knows every other running sentinel.
     */
    private async notReadyForFailover(master: RedisServer): Promise<string | null> {
        const replica = this._data.find(d => d.server !== master)!;
        const replication = await replica.admin.info('replication');
        if (replication.get('role') != 'slave' || Number(replication.get('master_port')) != master.port
            || replication.get('master_link_status') != 'up') {
            return 'the replica ' + replica.server.port + ' reports role:' + replication.get('role') + ', master_port:'
                + replication.get('master_port') + ', master_link_status:' + replication.get('master_link_status');
        }
        const running = this._sentinels.filter(s => s.server.isRunning());
        for (const sentinel of running) {
            const name = 'sentinel ' + sentinel.server.port;
            const state = RedisSentinels.fields(await sentinel.admin.command('SENTINEL', 'MASTER', this.masterName));
            if (Number(state.get('port')) != master.port) return name + ' monitors ' + state.get('port') + ', not ' + master.port;
            if (state.get('flags') != 'master') return name + ' flags the master ' + state.get('flags');
            const replicas = (await sentinel.admin.command('SENTINEL', 'REPLICAS', this.masterName) as string[][])
                .map(RedisSentinels.fields);
            const known = replicas.find(r => Number(r.get('port')) == replica.server.port);
            if (known == null) return name + ' does not know the replica ' + replica.server.port + ' yet';
            if (known.get('flags') != 'slave') return name + ' flags the replica ' + replica.server.port + ' ' + known.get('flags');
            const others = (await sentinel.admin.command('SENTINEL', 'SENTINELS', this.masterName) as string[][])
                .map(RedisSentinels.fields);
            for (const other of running) {
                if (other === sentinel) continue;
                const seen = others.find(o => Number(o.get('port')) == other.server.port);
                if (seen == null) return name + ' does not know the sentinel ' + other.server.port + ' yet';
                if (seen.get('flags') != 'sentinel') return name + ' flags the sentinel ' + other.server.port + ' ' + seen.get('flags');
            }
        }
        return null;
    }

    /** A flat [name, value, name, value...] reply of SENTINEL MASTER/REPLICAS/SENTINELS as a map. */
    private static fields(reply: string[]): Map<string, string> {
        const map = new Map<string, string>();
        for (let i = 0; i + 1 < reply.length; i += 2) map.set(reply[i], reply[i + 1]);
        return map;
    }

    private dataNode(port: number): Member {
        const member = this._data.find(d => d.server.port == port);
        if (member == null) throw new Error('the sentinels report a master on port ' + port + ', not a node of this setup');
        return member;
    }

    private anySentinel(): Member {
        const sentinel = this._sentinels.find(s => s.server.isRunning());
        if (sentinel == null) throw new Error('no sentinel is running');
        return sentinel;
    }
}
