import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';

/** An object read whole, or only its size when over `maxBytes` (never buffered). */
export type ObjectRead = { ok: true; body: Buffer } | { ok: false; size: number };

/**
 * Reads objects of one bucket. Path-style addressing, so the local S3 stand-in (one host, no
 * bucket subdomains, AWS_ENDPOINT_URL_S3) answers the same calls as S3.
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
}
