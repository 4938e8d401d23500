import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

/** PEM files of one certificate and its key. */
export interface CertificateFiles {
    cert: string;
    key: string;
}

/** Everything the TLS tests need, as PEM file paths in a temporary directory. */
export interface TestCertificateSet {
    /** The private CA the servers and the client certificate chain to. */
    ca: CertificateFiles;
    /** A CA nobody's certificate chains to. */
    otherCa: CertificateFiles;
    /** Server certificate for 127.0.0.1 and localhost (IP and DNS subject alternative names). */
    server: CertificateFiles;
    /** Server certificate for the name `redis.test` only, so connecting to 127.0.0.1 does not verify by host. */
    namedServer: CertificateFiles;
    /** Client certificate, for mutual TLS. */
    client: CertificateFiles;
    /** A file that is not PEM. */
    notPem: string;
    /** The temporary directory holding them all. */
    dir: string;
}

let made: TestCertificateSet | null = null;

/**
 * Certificates made with `openssl` at test time (nothing committed), once per process, in a
 * temporary directory removed when the process exits. EC P-256 keys keep it fast.
 */
export class TestCertificates {
    /** Makes the set on first use, then returns the same one. */
    public static get(): TestCertificateSet {
        made ??= TestCertificates.make();
        return made;
    }

    private static make(): TestCertificateSet {
        const dir = mkdtempSync(join(tmpdir(), 'redis-tls-test-'));
        process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
        const file = (name: string) => join(dir, name);

        const selfSigned = (name: string, subject: string): CertificateFiles => {
            TestCertificates.openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
                '-nodes', '-keyout', file(name + '.key'), '-out', file(name + '.crt'), '-days', '2', '-subj', subject);
            return { cert: file(name + '.crt'), key: file(name + '.key') };
        };
        const signed = (name: string, subject: string, ca: CertificateFiles, altNames?: string): CertificateFiles => {
            TestCertificates.openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
                '-nodes', '-keyout', file(name + '.key'), '-out', file(name + '.csr'), '-subj', subject);
            const extensions = file(name + '.ext');
            writeFileSync(extensions, altNames != null ? 'subjectAltName=' + altNames + '\n' : 'basicConstraints=CA:FALSE\n');
            TestCertificates.openssl('x509', '-req', '-in', file(name + '.csr'), '-CA', ca.cert, '-CAkey', ca.key,
                '-CAcreateserial', '-out', file(name + '.crt'), '-days', '2', '-extfile', extensions);
            return { cert: file(name + '.crt'), key: file(name + '.key') };
        };

        const ca = selfSigned('ca', '/CN=redis-node test CA');
        const otherCa = selfSigned('other-ca', '/CN=redis-node other CA');
        const server = signed('server', '/CN=127.0.0.1', ca, 'IP:127.0.0.1,DNS:localhost');
        const namedServer = signed('named-server', '/CN=redis.test', ca, 'DNS:redis.test');
        const client = signed('client', '/CN=redis-node test client', ca);
        const notPem = file('not-pem.txt');
        writeFileSync(notPem, 'this is not a certificate\n');
        return { ca, otherCa, server, namedServer, client, notPem, dir };
    }

    private static openssl(...args: string[]): void {
        const result = spawnSync('openssl', args, { encoding: 'utf8' });
        if (result.error != null || result.status !== 0) {
            throw new Error('openssl ' + args[0] + ' failed (the TLS tests need the openssl command): '
                + (result.error?.message ?? result.stderr));
        }
    }
}
