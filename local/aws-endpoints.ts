import { listenOnLoopback } from './http-api';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalEventBus, PutEventsEntry } from './event-bus';
import type { LocalFlowRunner } from './flows/flow-runner';

type Operation = (input: Record<string, unknown>) => unknown;

/**
 * The AWS JSON-protocol endpoints handlers reach through the standard SDK endpoint variables
 * (AWS_ENDPOINT_URL_EVENTBRIDGE, AWS_ENDPOINT_URL_SFN, AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER):
 * EventBridge PutEvents, the Step Functions calls the CRM uses and the `more` operations (the
 * stand-in user pool's). The SDK code paths are the ones that run in AWS.
 */
export async function startAwsEndpoints(bus: LocalEventBus, flows: LocalFlowRunner, more: Record<string, Operation> = {}, port = 0): Promise<{ url: string; server: Server }> {
  const operations: Record<string, Operation> = {
    ...more,
    'AWSEvents.PutEvents': (input) => bus.putEvents((input.Entries as PutEventsEntry[] | undefined) ?? []),
    // Webhook replays: the bus's kept events stand in for the archive.
    'AWSEvents.StartReplay': (input) => {
      const destination = (input.Destination ?? {}) as { Arn?: string; FilterArns?: string[] };
      const busName = String(destination.Arn ?? '').split('/').pop() ?? '';
      const seconds = (value: unknown) => new Date(Number(value) * 1000);
      bus.replay({ name: String(input.ReplayName), busName, from: seconds(input.EventStartTime), to: seconds(input.EventEndTime), ruleArns: destination.FilterArns ?? [] });
      return { ReplayArn: `arn:aws:events:local-1:000000000000:replay/${String(input.ReplayName)}`, State: 'STARTING', StateReason: 'Local replay', ReplayStartTime: Date.now() / 1000 };
    },
    'AWSEvents.DescribeReplay': (input) => {
      const name = String(input.ReplayName);
      const state = bus.replayState(name);
      if (!state) throw Object.assign(new Error(`Replay ${name} does not exist.`), { name: 'ResourceNotFoundException' });
      return { ReplayName: name, ReplayArn: `arn:aws:events:local-1:000000000000:replay/${name}`, State: state };
    },
    'AWSStepFunctions.StartExecution': (input) => {
      const record = flows.start(String(input.stateMachineArn), input.input === undefined ? {} : JSON.parse(String(input.input)), input.name as string | undefined);
      return { executionArn: record.executionArn, startDate: Date.parse(record.startDate) / 1000 };
    },
    'AWSStepFunctions.SendTaskSuccess': (input) => {
      flows.sendTaskSuccess(String(input.taskToken), JSON.parse(String(input.output ?? 'null')));
      return {};
    },
    'AWSStepFunctions.SendTaskFailure': (input) => {
      flows.sendTaskFailure(String(input.taskToken), input.error as string | undefined, input.cause as string | undefined);
      return {};
    },
    'AWSStepFunctions.DescribeExecution': (input) => {
      const e = flows.describe(String(input.executionArn));
      if (!e) throw Object.assign(new Error(`Execution Does Not Exist: '${String(input.executionArn)}'`), { name: 'ExecutionDoesNotExist' });
      return {
        executionArn: e.executionArn,
        stateMachineArn: e.stateMachineArn,
        name: e.name,
        status: e.status,
        input: JSON.stringify(e.input),
        output: e.output === undefined ? undefined : JSON.stringify(e.output),
        error: e.error,
        cause: e.cause,
        startDate: Date.parse(e.startDate) / 1000,
        stopDate: e.stopDate ? Date.parse(e.stopDate) / 1000 : undefined,
      };
    },
  };

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const contentType = String(req.headers['content-type'] ?? 'application/x-amz-json-1.1');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': contentType }).end(JSON.stringify(body));
    };
    const operation = operations[target];
    if (!operation) return send(400, { __type: 'UnknownOperationException', message: `The local runtime does not implement ${target}` });
    try {
      send(200, await operation(chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {}));
    } catch (error) {
      const e = error as Error;
      send(400, { __type: e.name, message: e.message });
    }
  });
  await listenOnLoopback(server, port);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
