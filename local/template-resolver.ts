/**
 * Resolves CloudFormation intrinsic functions in the synthesized templates to the values the
 * local stand-ins use (names, fake ARNs), so the local runtime reads the same wiring AWS gets.
 */
export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
  DependsOn?: unknown;
}

export interface CfnTemplate {
  Resources?: Record<string, CfnResource>;
  Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }>;
}

export interface StackTemplate {
  stackName: string;
  template: CfnTemplate;
}

export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_REGION = 'local-1';

type Located = { stack: StackTemplate; logicalId: string; resource: CfnResource };

export interface ResolverOptions {
  /**
   * What an HTTP API's `ApiEndpoint` resolves to: the local API's URL, so functions that put the
   * API's address into mail (unsubscribe links) point at the running runtime.
   */
  apiEndpoint?: string;
}

export class TemplateResolver {
  private readonly exports = new Map<string, unknown>();

  constructor(
    private readonly stacks: StackTemplate[],
    private readonly options: ResolverOptions = {},
  ) {
    for (const stack of stacks) {
      for (const output of Object.values(stack.template.Outputs ?? {})) {
        if (output.Export) this.exports.set(String(this.resolve(stack, output.Export.Name)), this.resolve(stack, output.Value));
      }
    }
  }

  resources(type?: string): Located[] {
    return this.stacks.flatMap((stack) =>
      Object.entries(stack.template.Resources ?? {})
        .filter(([, r]) => !type || r.Type === type)
        .map(([logicalId, resource]) => ({ stack, logicalId, resource })),
    );
  }

  find(stack: StackTemplate, logicalId: string): Located | undefined {
    const resource = stack.template.Resources?.[logicalId];
    return resource ? { stack, logicalId, resource } : undefined;
  }

  /** Deeply resolves intrinsics in `value` as seen from `stack`. */
  resolve(stack: StackTemplate, value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.resolve(stack, v));
    if (!value || typeof value !== 'object') return value;
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 1) {
      const [fn] = keys as [string];
      const arg = obj[fn];
      switch (fn) {
        case 'Ref':
          return this.ref(stack, String(arg));
        case 'Fn::GetAtt': {
          const [id, attr] = Array.isArray(arg) ? arg.map(String) : String(arg).split('.');
          return this.getAtt(stack, id!, attr!);
        }
        case 'Fn::Join': {
          const [sep, parts] = arg as [string, unknown[]];
          return (this.resolve(stack, parts) as unknown[]).map(String).join(sep);
        }
        case 'Fn::ImportValue': {
          const name = String(this.resolve(stack, arg));
          if (!this.exports.has(name)) throw new Error(`Unresolved import ${name}`);
          return this.exports.get(name);
        }
        case 'Fn::Select': {
          const [index, list] = arg as [unknown, unknown];
          return (this.resolve(stack, list) as unknown[])[Number(this.resolve(stack, index))];
        }
        case 'Fn::Split': {
          const [sep, source] = arg as [string, unknown];
          return String(this.resolve(stack, source)).split(sep);
        }
        case 'Fn::Sub':
          return this.sub(stack, arg);
        case 'Fn::If':
        case 'Fn::Equals':
          throw new Error(`${fn} is not supported by the local runtime`);
      }
    }
    return Object.fromEntries(keys.map((k) => [k, this.resolve(stack, obj[k])]));
  }

  ref(stack: StackTemplate, id: string): unknown {
    switch (id) {
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::Region':
        return LOCAL_REGION;
      case 'AWS::AccountId':
        return LOCAL_ACCOUNT;
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::StackName':
        return stack.stackName;
      case 'AWS::NoValue':
        return undefined;
    }
    const located = this.find(stack, id);
    if (!located) return id; // parameters (e.g. bootstrap version) are irrelevant locally
    return physicalRef(located, (v) => this.resolve(stack, v));
  }

  getAtt(stack: StackTemplate, id: string, attr: string): unknown {
    const located = this.find(stack, id);
    if (!located) throw new Error(`GetAtt of unknown resource ${id}`);
    const name = String(this.ref(stack, id));
    const service = serviceOf(located.resource.Type);
    if (attr === 'Arn') {
      switch (located.resource.Type) {
        case 'AWS::Lambda::Function':
          return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${name}`;
        case 'AWS::SQS::Queue':
          return `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${name.split('/').pop()}`;
        case 'AWS::StepFunctions::StateMachine':
          return name; // Ref of a state machine already is its ARN
        default:
          return `arn:aws:${service}:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${located.logicalId}/${name}`;
      }
    }
    if (attr === 'StreamArn') return `arn:aws:dynamodb:${LOCAL_REGION}:${LOCAL_ACCOUNT}:table/${name}/stream/local`;
    if (attr === 'QueueName') return name.split('/').pop();
    if (attr === 'Name') return located.resource.Type === 'AWS::StepFunctions::StateMachine' ? name.split(':').pop() : name;
    if (attr === 'ApiEndpoint') return this.options.apiEndpoint ?? 'http://localhost';
    if (attr === 'ProviderURL' || attr === 'ProviderName') return `local-user-pool/${name}`;
    return `${located.logicalId}.${attr}`;
  }

  private sub(stack: StackTemplate, arg: unknown): string {
    const [template, vars] = Array.isArray(arg) ? (arg as [string, Record<string, unknown>]) : [String(arg), {}];
    return template.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
      if (name.startsWith('!')) return `\${${name.slice(1)}}`; // ${!Literal} is an escaped literal
      if (name in vars) return String(this.resolve(stack, vars[name]));
      const [id, attr] = name.split('.');
      return String(attr ? this.getAtt(stack, id!, attr) : this.ref(stack, id!));
    });
  }
}

function serviceOf(type: string): string {
  return type.split('::')[1]!.toLowerCase();
}

/** The "physical id" a Ref returns locally: the resource's explicit name, or its logical id. */
function physicalRef(located: Located, resolve: (v: unknown) => unknown): string {
  const p = located.resource.Properties ?? {};
  const explicit = (key: string) => (p[key] !== undefined ? String(resolve(p[key])) : undefined);
  switch (located.resource.Type) {
    case 'AWS::DynamoDB::Table':
      return explicit('TableName') ?? located.logicalId;
    case 'AWS::Events::EventBus':
      return explicit('Name') ?? located.logicalId;
    case 'AWS::Lambda::Function':
      return explicit('FunctionName') ?? located.logicalId;
    case 'AWS::StepFunctions::StateMachine':
      return `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${explicit('StateMachineName') ?? located.logicalId}`;
    case 'AWS::SQS::Queue':
      return `http://sqs.local/${LOCAL_ACCOUNT}/${explicit('QueueName') ?? located.logicalId}`;
    case 'AWS::SES::ConfigurationSet':
      return explicit('Name') ?? located.logicalId;
    case 'AWS::Cognito::UserPool':
      return `${LOCAL_REGION}_${located.logicalId}`;
    default:
      return located.logicalId;
  }
}
