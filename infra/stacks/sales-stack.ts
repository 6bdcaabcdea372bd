import type { Construct } from 'constructs';
import type { CrmFunction } from '../constructs/crm-function';
import { DomainStack, type DomainStackProps } from './domain-stack';

export type SalesFunctionName =
  | 'createPipeline'
  | 'listPipelines'
  | 'getPipeline'
  | 'getBoard'
  | 'createDeal'
  | 'getDeal'
  | 'updateDeal'
  | 'getForecast'
  | 'createLead'
  | 'listLeads'
  | 'getLead'
  | 'addLeadEngagement'
  | 'qualifyLead'
  | 'disqualifyLead'
  | 'convertLead'
  | 'putLeadScoring'
  | 'putRoutingRules'
  | 'createForm'
  | 'listForms'
  | 'submitForm';

/** Sales (docs/pipeline.md, docs/leads.md): pipelines, deals, the forecast, leads and web forms. */
export class SalesStack extends DomainStack {
  readonly functions: Readonly<Record<SalesFunctionName, CrmFunction>>;

  constructor(scope: Construct, id: string, props: DomainStackProps) {
    super(scope, id, props);
    const { table } = props;
    const reader = (fnId: string, entry: string) => this.fn(fnId, entry).grantTable(table, 'read');
    const writer = (fnId: string, entry: string) => this.fn(fnId, entry).grantTable(table, 'readWrite');

    const createPipeline = writer('CreatePipeline', 'functions/pipelines/create-pipeline.ts');
    const listPipelines = reader('ListPipelines', 'functions/pipelines/list-pipelines.ts');
    const getPipeline = reader('GetPipeline', 'functions/pipelines/get-pipeline.ts');
    const getBoard = reader('GetBoard', 'functions/pipelines/get-board.ts');
    const createDeal = writer('CreateDeal', 'functions/deals/create-deal.ts');
    const getDeal = reader('GetDeal', 'functions/deals/get-deal.ts');
    const updateDeal = writer('UpdateDeal', 'functions/deals/update-deal.ts');
    const getForecast = reader('GetForecast', 'functions/deals/get-forecast.ts');
    const createLead = writer('CreateLead', 'functions/leads/create-lead.ts');
    const listLeads = reader('ListLeads', 'functions/leads/list-leads.ts');
    const getLead = reader('GetLead', 'functions/leads/get-lead.ts');
    const addLeadEngagement = writer('AddLeadEngagement', 'functions/leads/add-engagement.ts');
    const qualifyLead = writer('QualifyLead', 'functions/leads/qualify-lead.ts');
    const disqualifyLead = writer('DisqualifyLead', 'functions/leads/disqualify-lead.ts');
    const convertLead = writer('ConvertLead', 'functions/leads/convert-lead.ts');
    const putLeadScoring = writer('PutLeadScoring', 'functions/leads/put-lead-scoring.ts');
    const putRoutingRules = writer('PutRoutingRules', 'functions/leads/put-routing-rules.ts');
    const createForm = writer('CreateForm', 'functions/forms/create-form.ts');
    const listForms = reader('ListForms', 'functions/forms/list-forms.ts');
    const submitForm = writer('SubmitForm', 'functions/forms/submit-form.ts');
    this.functions = {
      createPipeline, listPipelines, getPipeline, getBoard, createDeal, getDeal, updateDeal, getForecast,
      createLead, listLeads, getLead, addLeadEngagement, qualifyLead, disqualifyLead, convertLead, putLeadScoring, putRoutingRules,
      createForm, listForms, submitForm,
    };

    this.wire(this.functions, {
      CreatePipeline: createPipeline,
      ListPipelines: listPipelines,
      GetPipeline: getPipeline,
      GetBoard: getBoard,
      CreateDeal: createDeal,
      GetDeal: getDeal,
      UpdateDeal: updateDeal,
      GetForecast: getForecast,
      CreateLead: createLead,
      ListLeads: listLeads,
      GetLead: getLead,
      AddLeadEngagement: addLeadEngagement,
      QualifyLead: qualifyLead,
      DisqualifyLead: disqualifyLead,
      ConvertLead: convertLead,
      PutLeadScoring: putLeadScoring,
      PutRoutingRules: putRoutingRules,
      CreateForm: createForm,
      ListForms: listForms,
      SubmitForm: submitForm,
    });
  }
}
