/** @module connect */
import { readFile } from 'fs/promises';
import { ConnectionOptions, createSecureContext } from 'tls';
import { ConfigException } from 'pip-services4-commons-node';
import { ConfigParams } from 'pip-services4-components-node';
import { CredentialParams } from 'pip-services4-config-node';

import { RedisOptions } from './RedisOptions';

/** A credential key that names a PEM file, with what the file must hold. */
interface PemFileKey {
    /** Key in the credential section. */
    name: 'ssl_ca_file' | 'ssl_crt_file' | 'ssl_key_file';
    /** Option of `tls.connect` the file's contents go to. */
    option: 'ca' | 'cert' | 'key';
}

const PEM_FILE_KEYS: PemFileKey[] = [
    { name: 'ssl_ca_file', option: 'ca' },
    { name: 'ssl_crt_file', option: 'cert' },
    { name: 'ssl_key_file', option: 'key' }
];

/**
 * TLS settings in the pip-services way: PEM files named in the credential (so a credential store
 * can supply them) and two options. TLS itself is switched on by the connection (`rediss://` or
 * `protocol: rediss`); these settings only shape it.
 *
 * - `credential.ssl_ca_file`:          CA certificate(s) to trust instead of Node's default CAs
 * - `credential.ssl_crt_file`:         client certificate, for mutual TLS (with `ssl_key_file`)
 * - `credential.ssl_key_file`:         client private key, for mutual TLS (with `ssl_crt_file`)
 * - `options.ssl_reject_unauthorized`: false to accept a server certificate that does not verify (default: true)
 * - `options.ssl_servername`:          host name to send as SNI and to verify the server certificate
 *                                      against (default: the connection's host, as Node does)
 *
 * Any of these on a connection without TLS is refused (ConfigException `TLS_NOT_ENABLED`) rather
 * than ignored, so a configuration meant to be encrypted never talks plaintext. The files are read
 * when the connection opens; errors name the key and the path, never the file's contents.
 */
export class RedisTlsSettings {
    private readonly _rejectUnauthorized: boolean | undefined;
    private readonly _servername: string | undefined;

    private constructor(rejectUnauthorized: boolean | undefined, servername: string | undefined) {
        this._rejectUnauthorized = rejectUnauthorized;
        this._servername = servername;
    }

    /**
     * Reads the TLS options from the `options` section.
     *
     * @param config    the component's configuration.
     * @returns the options, not yet combined with the credential.
     * @throws ConfigException INVALID_OPTION when `ssl_reject_unauthorized` is not a boolean or
     *         `ssl_servername` is empty.
     */
    public static fromConfig(config: ConfigParams): RedisTlsSettings {
        const options = config.getSection('options');
        return new RedisTlsSettings(RedisOptions.readBoolean(options, 'ssl_reject_unauthorized'),
            RedisOptions.readText(options, 'ssl_servername'));
    }

    /**
     * Builds the `tls.connect` options of a connection: reads the PEM files the credential names
     * and checks they hold what they should.
     *
     * @param traceId       a trace id for exceptions.
     * @param credential    the resolved credential, or null.
     * @param enabled       true when the connection uses TLS.
     * @returns the options for `tls.connect` (empty when TLS is on with Node's defaults), or
     *          undefined when TLS is off.
     * @throws ConfigException TLS_NOT_ENABLED when TLS settings are given for a plaintext connection;
     *         INVALID_SSL_FILE when a file cannot be read or does not hold a PEM certificate or key
     *         (details: `key`, `path`, `reason`).
     */
    public async resolve(traceId: string, credential: CredentialParams | null, enabled: boolean)
        : Promise<ConnectionOptions | undefined> {
        const files = PEM_FILE_KEYS
            .map(key => ({ key, path: credential?.getAsNullableString(key.name) ?? null }))
            .filter(file => file.path != null && file.path != '') as { key: PemFileKey, path: string }[];

        if (!enabled) {
            const given = files.map(file => 'credential.' + file.key.name);
            if (this._rejectUnauthorized !== undefined) given.push('options.ssl_reject_unauthorized');
            if (this._servername !== undefined) given.push('options.ssl_servername');
            if (given.length == 0) return undefined;
            throw new ConfigException(traceId, 'TLS_NOT_ENABLED',
                'TLS settings are given but the connection is not TLS: use a rediss:// uri or protocol rediss')
                .withDetails('keys', given.join(','));
        }

        const result: ConnectionOptions = {};
        for (const file of files) {
            result[file.key.option] = await RedisTlsSettings.readPem(traceId, file.key.name, file.path);
        }
        RedisTlsSettings.checkPem(traceId, files, result);
        if (this._rejectUnauthorized !== undefined) result.rejectUnauthorized = this._rejectUnauthorized;
        if (this._servername !== undefined) result.servername = this._servername;
        return result;
    }

    private static async readPem(traceId: string, name: string, path: string): Promise<Buffer> {
        try {
            return await readFile(path);
        } catch (err: any) {
            throw RedisTlsSettings.invalidFile(traceId, name, path, typeof err?.code === 'string' ? err.code : 'UNREADABLE',
                'cannot be read');
        }
    }

    // Node ignores a CA file without certificates and reports a bad certificate or key only when it
    // connects; check here so the error names the file.
    private static checkPem(traceId: string, files: { key: PemFileKey, path: string }[], options: ConnectionOptions): void {
        const pathOf = (name: string) => files.find(file => file.key.name == name)?.path;
        if (options.ca != null && !String(options.ca).includes('-----BEGIN CERTIFICATE-----')) {
            throw RedisTlsSettings.invalidFile(traceId, 'ssl_ca_file', pathOf('ssl_ca_file')!, 'NO_CERTIFICATE',
                'holds no PEM certificate');
        }
        if ((options.cert == null) != (options.key == null)) {
            const missing = options.cert == null ? 'ssl_crt_file' : 'ssl_key_file';
            throw RedisTlsSettings.invalidFile(traceId, missing, null, 'MISSING',
                'is needed too: a client certificate goes with its private key');
        }
        if (options.cert == null) return;
        RedisTlsSettings.tryContext(traceId, 'ssl_crt_file', pathOf('ssl_crt_file')!, { cert: options.cert });
        RedisTlsSettings.tryContext(traceId, 'ssl_key_file', pathOf('ssl_key_file')!, { key: options.key });
        RedisTlsSettings.tryContext(traceId, 'ssl_key_file', pathOf('ssl_key_file')!, { cert: options.cert, key: options.key });
    }

    private static tryContext(traceId: string, name: string, path: string, options: ConnectionOptions): void {
        try {
            createSecureContext(options);
        } catch (err: any) {
            // The code names what OpenSSL disliked; the message is not kept (it never holds the
            // contents, but nothing here needs more than the code).
            throw RedisTlsSettings.invalidFile(traceId, name, path, typeof err?.code === 'string' ? err.code : 'INVALID',
                'is not a usable PEM ' + (name == 'ssl_crt_file' ? 'certificate' : 'private key (or does not match the certificate)'));
        }
    }

    private static invalidFile(traceId: string, name: string, path: string | null, reason: string, problem: string): ConfigException {
        return new ConfigException(traceId, 'INVALID_SSL_FILE', 'credential.' + name
            + (path != null ? ' (' + path + ') ' : ' ') + problem)
            .withDetails('key', 'credential.' + name)
            .withDetails('path', path)
            .withDetails('reason', reason) as ConfigException;
    }
}
