import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Created once per container at module load; the endpoint comes from AWS_ENDPOINT_URL_DYNAMODB locally. */
export const dynamoDb = new DynamoDBClient({});

export const documentClient = DynamoDBDocumentClient.from(dynamoDb, {
  marshallOptions: { removeUndefinedValues: true },
});
