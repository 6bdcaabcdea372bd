import { describe, expect, it } from 'vitest';
import { LOCAL_ACCOUNT, LOCAL_REGION, type StackTemplate, TemplateResolver } from '../../../local/template-resolver';

// Hand-written stacks: each test resolves one intrinsic against them and compares with the value
// the local stand-ins use (names and fake ARNs in account 000000000000, region local-1).

const stateful: StackTemplate = {
  stackName: 'crm-test-stateful',
  template: {
    Resources: {
      NamedTable: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'crm-test' } },
      AnonymousTable: { Type: 'AWS::DynamoDB::Table', Properties: {} },
      Bus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'crm-bus' } },
      Flow: { Type: 'AWS::StepFunctions::StateMachine', Properties: { StateMachineName: 'welcome-flow' } },
    },
    Outputs: {
      BusName: { Value: { Ref: 'Bus' }, Export: { Name: { 'Fn::Sub': '${AWS::StackName}:BusName' } } },
      NotExported: { Value: 'nope' },
    },
  },
};

const stateless: StackTemplate = {
  stackName: 'crm-test-stateless',
  template: {
    Resources: {
      Fn: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'create-customer' } },
      AnonymousFn: { Type: 'AWS::Lambda::Function', Properties: {} },
    },
  },
};

function resolver(): TemplateResolver {
  return new TemplateResolver([stateful, stateless]);
}

describe('Ref', () => {
  it.each([
    ['AWS::Partition', 'aws'],
    ['AWS::Region', LOCAL_REGION],
    ['AWS::AccountId', LOCAL_ACCOUNT],
    ['AWS::URLSuffix', 'amazonaws.com'],
    ['AWS::StackName', 'crm-test-stateful'],
  ])('of the pseudo parameter %s is %s', (pseudo, expected) => {
    const r = resolver();

    const value = r.resolve(stateful, { Ref: pseudo });

    expect(value).toBe(expected);
  });

  it('of AWS::NoValue is undefined', () => {
    const r = resolver();

    const value = r.resolve(stateful, { Ref: 'AWS::NoValue' });

    expect(value).toBeUndefined();
  });

  it('of a table with TableName is that name', () => {
    const r = resolver();

    const value = r.resolve(stateful, { Ref: 'NamedTable' });

    expect(value).toBe('crm-test');
  });

  it('of a table without TableName is its logical id', () => {
    const r = resolver();

    const value = r.resolve(stateful, { Ref: 'AnonymousTable' });

    expect(value).toBe('AnonymousTable');
  });

  it('of a state machine is its ARN built from StateMachineName', () => {
    const r = resolver();

    const value = r.resolve(stateful, { Ref: 'Flow' });

    expect(value).toBe(`arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:welcome-flow`);
  });

  it('of a name that is no resource (a parameter) is the name itself', () => {
    const r = resolver();

    const value = r.resolve(stateful, { Ref: 'BootstrapVersion' });

    expect(value).toBe('BootstrapVersion');
  });

  it('only sees resources of the stack it resolves in', () => {
    const r = resolver();

    const value = r.resolve(stateless, { Ref: 'NamedTable' });

    expect(value).toBe('NamedTable');
  });
});

describe('Fn::GetAtt', () => {
  it('Arn of a Lambda function is a lambda function ARN with its FunctionName', () => {
    const r = resolver();

    const value = r.resolve(stateless, { 'Fn::GetAtt': ['Fn', 'Arn'] });

    expect(value).toBe(`arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:create-customer`);
  });

  it('Arn of a Lambda function without FunctionName uses the logical id', () => {
    const r = resolver();

    const value = r.resolve(stateless, { 'Fn::GetAtt': ['AnonymousFn', 'Arn'] });

    expect(value).toBe(`arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:AnonymousFn`);
  });

  it('accepts the dotted string form "Id.Attr"', () => {
    const r = resolver();

    const value = r.resolve(stateless, { 'Fn::GetAtt': 'Fn.Arn' });

    expect(value).toBe(`arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:create-customer`);
  });

  it('StreamArn of a table is the local stream ARN of its table name', () => {
    const r = resolver();

    const value = r.resolve(stateful, { 'Fn::GetAtt': ['NamedTable', 'StreamArn'] });

    expect(value).toBe(`arn:aws:dynamodb:${LOCAL_REGION}:${LOCAL_ACCOUNT}:table/crm-test/stream/local`);
  });

  it('Arn of a state machine is its Ref', () => {
    const r = resolver();

    const value = r.resolve(stateful, { 'Fn::GetAtt': ['Flow', 'Arn'] });

    expect(value).toBe(`arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:welcome-flow`);
  });

  it('of an unknown resource throws', () => {
    const r = resolver();

    const act = () => r.resolve(stateful, { 'Fn::GetAtt': ['Missing', 'Arn'] });

    expect(act).toThrow(/GetAtt of unknown resource Missing/);
  });

  it("ApiEndpoint of an HTTP API is the local API's URL the runtime passes (links in mail point there)", () => {
    const api: StackTemplate = { stackName: 'crm-test-api', template: { Resources: { Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: {} } } } };
    const endpoint = { 'Fn::GetAtt': ['Api', 'ApiEndpoint'] };

    expect(new TemplateResolver([api], { apiEndpoint: 'http://127.0.0.1:4321' }).resolve(api, endpoint)).toBe('http://127.0.0.1:4321');
    expect(new TemplateResolver([api]).resolve(api, endpoint)).toBe('http://localhost');
  });
});

describe('Fn::Join, Fn::Select, Fn::Split', () => {
  it('Fn::Join resolves every part and joins them with the separator', () => {
    const r = resolver();

    const value = r.resolve(stateful, { 'Fn::Join': [':', ['a', { Ref: 'AWS::Region' }, { Ref: 'NamedTable' }]] });

    expect(value).toBe(`a:${LOCAL_REGION}:crm-test`);
  });

  it('Fn::Select of a Fn::Split picks the indexed element', () => {
    const r = resolver();

    const value = r.resolve(stateful, { 'Fn::Select': [1, { 'Fn::Split': ['/', 'x/y/z'] }] });

    expect(value).toBe('y');
  });
});

describe('Fn::Sub', () => {
  it('replaces ${Res.Arn} with the attribute and ${Res} with the Ref', () => {
    const r = resolver();

    const value = r.resolve(stateless, { 'Fn::Sub': '${Fn.Arn}|${Fn}|${AWS::AccountId}' });

    expect(value).toBe(`arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:create-customer|create-customer|${LOCAL_ACCOUNT}`);
  });

  it('takes variables from the map before resources, resolving their values', () => {
    const r = resolver();

    const value = r.resolve(stateful, { 'Fn::Sub': ['${Fn}/${Table}', { Fn: 'from-map', Table: { Ref: 'NamedTable' } }] });

    expect(value).toBe('from-map/crm-test');
  });
});

describe('Fn::ImportValue', () => {
  it('returns the Output value another stack exports under that name', () => {
    const r = resolver();

    const value = r.resolve(stateless, { 'Fn::ImportValue': 'crm-test-stateful:BusName' });

    expect(value).toBe('crm-bus');
  });

  it('resolves the import name itself before looking it up', () => {
    const r = resolver();

    const value = r.resolve(stateless, { 'Fn::ImportValue': { 'Fn::Join': [':', ['crm-test-stateful', 'BusName']] } });

    expect(value).toBe('crm-bus');
  });

  it('throws for a name no stack exports', () => {
    const r = resolver();

    const act = () => r.resolve(stateless, { 'Fn::ImportValue': 'crm-test-stateful:NotExported' });

    expect(act).toThrow(/Unresolved import crm-test-stateful:NotExported/);
  });
});

describe('deep resolution', () => {
  it('resolves intrinsics inside nested objects and arrays and keeps plain values', () => {
    const r = resolver();

    const value = r.resolve(stateful, { A: [{ Ref: 'NamedTable' }, 3, null], B: { C: { Ref: 'AWS::Region' }, D: true } });

    expect(value).toEqual({ A: ['crm-test', 3, null], B: { C: LOCAL_REGION, D: true } });
  });

  it('refuses Fn::If, which the local runtime cannot evaluate', () => {
    const r = resolver();

    const act = () => r.resolve(stateful, { 'Fn::If': ['IsProd', 'a', 'b'] });

    expect(act).toThrow(/Fn::If is not supported/);
  });
});

describe('resources', () => {
  it('lists the resources of one type across every stack', () => {
    const r = resolver();

    const found = r.resources('AWS::Lambda::Function').map((l) => `${l.stack.stackName}/${l.logicalId}`);

    expect(found).toEqual(['crm-test-stateless/Fn', 'crm-test-stateless/AnonymousFn']);
  });
});
