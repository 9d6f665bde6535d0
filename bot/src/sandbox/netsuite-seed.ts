/**
 * The sandbox NetSuite account. Its addresses match the sandbox mail, so suggestions appear on the first card:
 * ana@fabrikam.com (contact at Fabrikam, with an open case and opportunity), li@northwind.example (contact at
 * Northwind Traders), sam@tailspintoys.example (vendor), pat@adventure-works.example (partner) and
 * billing@wideworldimporters.example (a customer with no contact).
 */
export interface SeedRecord {
  /** REST record type: customer, contact, vendor, partner, supportCase, opportunity, salesOrder, invoice. */
  type: string;
  id: string;
  /** REST field names; references as `{ id, refName }`, as NetSuite's REST answers carry them. */
  fields: Record<string, unknown>;
}

/** A reference as NetSuite's REST record service returns it: the id and the name it shows. */
const ref = (id: string, refName: string) => ({ id, refName });

/** The seeded customers' names, for the references that point at them. */
const COMPANIES: Record<string, string> = {
  '101': 'Fabrikam, Inc.',
  '102': 'Northwind Traders',
  '103': 'Wide World Importers',
  '104': "O'Brien & Sons",
};
const company = (id: string) => ref(id, COMPANIES[id] ?? id);

/** Transaction statuses by type and NetSuite's one-letter status id. */
const TRANSACTION_STATUS: Record<string, Record<string, string>> = {
  opportunity: { A: 'In Progress', B: 'Issued Estimate', C: 'Closed - Won', D: 'Closed - Lost' },
  salesOrder: { A: 'Pending Approval', B: 'Pending Fulfillment', C: 'Cancelled', G: 'Billed' },
  invoice: { A: 'Open', B: 'Paid In Full' },
};

export function netsuiteSeed(): SeedRecord[] {
  return [
    customer('101', 'Fabrikam, Inc.', 'CUST101', 'orders@fabrikam.com', '+1 425 555 0101'),
    customer('102', 'Northwind Traders', 'CUST102', 'office@northwind.example', '+1 206 555 0102'),
    customer('103', 'Wide World Importers', 'CUST103', 'billing@wideworldimporters.example', '+1 503 555 0103'),
    customer('104', "O'Brien & Sons", 'CUST104', 'hello@obrien.example', '+353 1 555 0104'),
    contact('201', 'Ana Ruiz', 'ana@fabrikam.com', '101', 'Purchasing Manager'),
    contact('202', 'Li Wei', 'li@northwind.example', '102', 'Operations Lead'),
    contact('203', 'Jon Berg', 'jon@fabrikam.com', '101', 'Accounts Payable'),
    {
      type: 'vendor',
      id: '301',
      fields: {
        entityId: 'VEND301',
        companyName: 'Tailspin Toys',
        email: 'sam@tailspintoys.example',
        phone: '+1 312 555 0301',
      },
    },
    {
      type: 'partner',
      id: '401',
      fields: {
        entityId: 'PART401',
        companyName: 'Adventure Works',
        email: 'pat@adventure-works.example',
        phone: '+1 415 555 0401',
      },
    },
    supportCase('501', '1042', 'Order 1042 is late', '101', '2', 'In Progress'),
    supportCase('502', '1043', 'Invoice copy requested', '102', '1', 'Not Started'),
    supportCase('503', '0977', 'Damaged pallet on delivery', '101', '5', 'Closed'),
    transaction('opportunity', '601', 'Opprtnty', 'OPP601', 'Fabrikam spring restock', '101', 'A', 48000),
    transaction('opportunity', '602', 'Opprtnty', 'OPP602', 'Northwind warehouse expansion', '102', 'B', 125000),
    transaction('opportunity', '603', 'Opprtnty', 'OPP603', 'Fabrikam 2025 renewal', '101', 'C', 30000),
    transaction('salesOrder', '701', 'SalesOrd', 'SO1042', 'Order 1042', '101', 'B', 12750),
    transaction('invoice', '801', 'CustInvc', 'INV2001', '', '103', 'A', 8420.5),
  ];
}

function customer(id: string, companyName: string, entityId: string, email: string, phone: string): SeedRecord {
  return {
    type: 'customer',
    id,
    fields: { entityId, companyName, email, phone, entityStatus: ref('13', 'CUSTOMER-Closed Won') },
  };
}

function contact(id: string, name: string, email: string, companyId: string, title: string): SeedRecord {
  const [firstName = '', lastName = ''] = name.split(' ');
  return {
    type: 'contact',
    id,
    fields: { entityId: name, firstName, lastName, email, company: company(companyId), title },
  };
}

function supportCase(
  id: string,
  caseNumber: string,
  title: string,
  companyId: string,
  status: string,
  statusName: string,
): SeedRecord {
  return {
    type: 'supportCase',
    id,
    fields: { caseNumber, title, company: company(companyId), status: ref(status, statusName) },
  };
}

function transaction(
  type: string,
  id: string,
  code: string,
  tranId: string,
  title: string,
  entity: string,
  status: string,
  total: number,
): SeedRecord {
  return {
    type,
    id,
    fields: {
      tranId,
      title,
      entity: company(entity),
      status: ref(status, TRANSACTION_STATUS[type]?.[status] ?? status),
      total,
      tranType: code,
      tranDate: '2026-11-02',
    },
  };
}
