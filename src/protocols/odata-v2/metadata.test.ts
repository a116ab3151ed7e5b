import { test } from 'node:test';
import assert from 'node:assert/strict';
import { entitySetProperties } from './metadata.ts';

const EDMX = `<edmx:Edmx><edmx:DataServices><Schema Namespace="NS">
<EntityType Name="OrderType" sap:label="Order"><Key><PropertyRef Name="Id"/></Key>
<Property Name="Id" Type="Edm.String" Nullable="false" sap:label="Order ID"/>
<Property Name="Changed" Type="Edm.DateTimeOffset" Precision="7"/>
<NavigationProperty Name="to_Items" Relationship="NS.x" FromRole="a" ToRole="b"/>
</EntityType>
<EntityType Name="ItemType"><Property Name="Pos" Type="Edm.String"/></EntityType>
<EntityContainer Name="C"><EntitySet Name="Orders" EntityType="NS.OrderType"/></EntityContainer>
</Schema></edmx:DataServices></edmx:Edmx>`;

test('lists the properties of an entity set with types, labels and navigations', () => {
  assert.deepEqual(entitySetProperties(EDMX, 'Orders'), [
    { name: 'Id', type: 'Edm.String', label: 'Order ID' },
    { name: 'Changed', type: 'Edm.DateTimeOffset' },
    { name: 'to_Items', type: 'navigation', navigation: true },
  ]);
  assert.equal(entitySetProperties(EDMX, 'Nope'), null);
});
