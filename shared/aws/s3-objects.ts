import type { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, NoSuchKey, NotFound, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

/** An object read whole, or only its size when over `maxBytes` (never buffered). */
export type ObjectRead = { ok: true; body: Buffer } | { ok: false; size: number };

/**
 * Reads and writes objects of one bucket, and signs links to them (presigned PUT for uploads,
 * GET for downloads) so browsers and partners move the bytes, never a Lambda. Path-style
 * addressing, so the local S3 stand-in (one host, no bucket subdomains, AWS_ENDPOINT_URL_S3)
 * answers the same calls and the same links as S3.
 */
export class S3Objects {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  static forBucket(bucket: string): S3Objects {
    return new S3Objects(new S3Client({ forcePathStyle: true }), bucket);
  }

  async read(key: string, maxBytes: number): Promise<ObjectRead> {
    const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    const size = object.ContentLength ?? 0;
    if (size > maxBytes) {
      await object.Body?.transformToWebStream().cancel().catch(() => undefined);
      return { ok: false, size };
    }
    return { ok: true, body: Buffer.from((await object.Body?.transformToByteArray()) ?? []) };
  }

  /** A small object as UTF-8 text; undefined when there is no such object. */
  async readText(key: string): Promise<string | undefined> {
    try {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return (await object.Body?.transformToString('utf-8')) ?? '';
    } catch (error) {
      if (error instanceof NoSuchKey || (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404)) return undefined;
      throw error;
    }
  }

  /** The object as a stream of bytes, for files too large to hold (CSV imports). */
  async stream(key: string): Promise<Readable> {
    const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    return object.Body as Readable;
  }

  /** The object's size in bytes; undefined when there is no such object. */
  async size(key: string): Promise<number | undefined> {
    try {
      const head = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return head.ContentLength ?? 0;
    } catch (error) {
      if (error instanceof NotFound || (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404)) return undefined;
      throw error;
    }
  }

  async write(key: string, body: Buffer | string, contentType: string): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }));
  }

  /** A link that lets its holder PUT this one object until it expires. */
  uploadLink(key: string, contentType: string, expiresInSeconds: number): Promise<string> {
    return getSignedUrl(this.s3, new PutObjectCommand({ Bucket: this.bucket, Key: key, ContentType: contentType }), { expiresIn: expiresInSeconds });
  }

  /** A link that lets its holder GET this one object, saved under `fileName`, until it expires. */
  downloadLink(key: string, fileName: string, expiresInSeconds: number): Promise<string> {
    const disposition = `attachment; filename="${fileName.replace(/["\\\r\n]/g, '_')}"`;
    return getSignedUrl(this.s3, new GetObjectCommand({ Bucket: this.bucket, Key: key, ResponseContentDisposition: disposition }), { expiresIn: expiresInSeconds });
  }
}
