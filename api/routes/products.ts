import * as z from 'zod/mini';
import { createProductInput, productPatch } from '../../shared/products/product';
import { PRODUCT_PAGE_SIZE } from '../../shared/products/product-use-cases';
import { staleVersion } from '../responses/common';
import { productPageResponse, productResponse } from '../responses/processes';
import { areaRoutes } from '../route';

const productId = { id: 'Product id' };

/** The product catalog quotes are priced from (docs/processes.md, "Products"). */
export const PRODUCTS_ROUTES = areaRoutes('products', 'processes', [
  {
    method: 'POST',
    path: '/products',
    auth: 'jwt',
    handler: 'functions/products/create-product.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Add a product',
      description:
        "Admins only. A SKU unique in the tenant (compared without case), prices per currency in that currency's decimals, price lists per customer level (`levelPrices`: what customers of " +
        'that level are quoted), a tax rate for its quote lines.',
      tags: ['Processes'],
      requestBody: { schema: createProductInput, description: 'The product.' },
      success: { status: 201, description: 'Added.', schema: productResponse, headers: ['Location', 'ETag'] },
      errors: { 400: 'Invalid body: an amount with more decimals than its currency, an unknown currency, a bad percentage; each named in `errors` (`prices.EUR`).', 403: 'Not an admin.', 409: 'Another product has the SKU (`duplicate-sku`, `existingProductId`).' },
    },
  },
  {
    method: 'GET',
    path: '/products',
    auth: 'jwt',
    handler: 'functions/products/list-products.ts',
    access: { table: 'read' },
    doc: {
      summary: 'The catalog',
      description: 'Every product, active and inactive, by id; one Query per page.',
      tags: ['Processes'],
      queryParameters: {
        limit: { description: `Page size, ${PRODUCT_PAGE_SIZE.default} when absent.`, schema: z._default(z.int().check(z.minimum(1), z.maximum(PRODUCT_PAGE_SIZE.max)), PRODUCT_PAGE_SIZE.default) },
        cursor: { description: "The previous page's `cursor`. Opaque.", schema: z.string() },
      },
      success: { status: 200, description: 'One page.', schema: productPageResponse },
      errors: { 400: 'A bad `limit` or a foreign `cursor`.' },
    },
  },
  {
    method: 'GET',
    path: '/products/{id}',
    auth: 'jwt',
    handler: 'functions/products/get-product.ts',
    access: { table: 'read' },
    doc: {
      summary: 'Read a product',
      description: 'Everyone who quotes reads the catalog.',
      tags: ['Processes'],
      pathParameters: productId,
      success: { status: 200, description: 'The product.', schema: productResponse, headers: ['ETag'] },
      errors: { 404: 'No such product.' },
    },
  },
  {
    method: 'PATCH',
    path: '/products/{id}',
    auth: 'jwt',
    handler: 'functions/products/update-product.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Change a product',
      description: 'Admins only. Merge patch with If-Match: prices merge per currency (`null` removes one; one must remain); `active: false` keeps it on existing quotes but off new lines.',
      tags: ['Processes'],
      pathParameters: productId,
      requestBody: { schema: productPatch, description: 'The fields to change.', mergePatch: true },
      ifMatch: true,
      success: { status: 200, description: 'Changed.', schema: productResponse, headers: ['ETag'] },
      errors: { 400: 'Invalid body, or the last price removed (`prices`).', 403: 'Not an admin.', 404: 'No such product.', 409: 'Another product has the new SKU (`duplicate-sku`).', 412: staleVersion('product') },
    },
  },
]);
