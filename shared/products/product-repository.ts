import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetAll } from '../aws/batch-items';
import { type NamedItem, TransactionConditionFailed, transactWrite } from '../aws/transact-write';
import { decodeCursor, encodeCursor } from '../pagination';
import { keys, withoutStorageAttributes } from '../keys';
import type { Product } from './product';

export type ProductWriteOutcome = { outcome: 'written' } | { outcome: 'sku-taken'; productId?: string } | { outcome: 'stale' };

/**
 * The catalog (docs/processes.md, "Products"): products in the tenant's products partition, each
 * SKU held by a guard item beside them, so two products can never share one (upper-cased).
 */
export class ProductRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(tenantId: string, productId: string): Promise<Product | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.product(tenantId, productId), ConsistentRead: true }));
    return Item ? toProduct(Item) : undefined;
  }

  /** Several products: BatchGetItem, 100 keys a call (a quote names at most 200 lines). */
  async many(tenantId: string, productIds: readonly string[]): Promise<Product[]> {
    const items = await batchGetAll(this.db, this.tableName, [...new Set(productIds)].map((id) => keys.product(tenantId, id)));
    return items.map(toProduct);
  }


  async list(tenantId: string, limit: number, cursor: string | undefined): Promise<{ items: Product[]; cursor: string | null }> {
    const { PK, skPrefix } = keys.products(tenantId);
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': PK, ':prefix': skPrefix },
        Limit: limit,
        ExclusiveStartKey: decodeCursor(cursor, PK),
      }),
    );
    return { items: (result.Items ?? []).map(toProduct), cursor: encodeCursor(result.LastEvaluatedKey) };
  }

  /** A new product with its SKU guard; or a changed one over its version, moving the guard when the SKU changed. */
  async save(tenantId: string, product: Product, previous?: Product): Promise<ProductWriteOutcome> {
    const items: NamedItem[] = [
      {
        name: 'product',
        put: {
          TableName: this.tableName,
          Item: { ...keys.product(tenantId, product.id), entity: 'Product', ...product },
          ...(previous
            ? { ConditionExpression: '#version = :expected', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':expected': previous.version } }
            : { ConditionExpression: 'attribute_not_exists(PK)' }),
        },
      },
    ];
    const skuMoved = !previous || previous.sku.toUpperCase() !== product.sku.toUpperCase();
    if (skuMoved) {
      items.push({
        name: 'sku',
        returnCurrent: true,
        put: { TableName: this.tableName, Item: { ...keys.productSku(tenantId, product.sku), entity: 'ProductSku', productId: product.id }, ConditionExpression: 'attribute_not_exists(PK)' },
      });
      if (previous) items.push({ name: 'old-sku', delete: { TableName: this.tableName, Key: keys.productSku(tenantId, previous.sku) } });
    }
    try {
      await transactWrite(this.db, items);
      return { outcome: 'written' };
    } catch (error) {
      if (!(error instanceof TransactionConditionFailed)) throw error;
      if (skuMoved && error.failed('sku')) return { outcome: 'sku-taken', productId: error.current('sku')?.productId as string | undefined };
      return { outcome: 'stale' };
    }
  }
}

function toProduct(item: Record<string, unknown>): Product {
  return withoutStorageAttributes(item) as unknown as Product;
}
