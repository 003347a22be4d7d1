-- columns
SELECT t.name, c.name, ty.name, c.max_length, c.[precision], c.scale, c.is_nullable,
       dc.[definition]
  FROM sys.tables AS t
  JOIN sys.schemas AS s ON s.schema_id = t.schema_id
  JOIN sys.columns AS c ON c.object_id = t.object_id
  JOIN sys.types AS ty ON ty.user_type_id = c.user_type_id
  LEFT JOIN sys.default_constraints AS dc ON dc.object_id = c.default_object_id
 WHERE s.name = %s AND t.name LIKE %s ESCAPE '!'
 ORDER BY t.name, c.column_id;

-- indexes
SELECT t.name, i.name, i.is_unique, i.is_primary_key, i.is_unique_constraint,
       i.has_filter, i.filter_definition, c.name
  FROM sys.indexes AS i
  JOIN sys.tables AS t ON t.object_id = i.object_id
  JOIN sys.schemas AS s ON s.schema_id = t.schema_id
  JOIN sys.index_columns AS ic
    ON ic.object_id = i.object_id AND ic.index_id = i.index_id AND ic.is_included_column = 0
  JOIN sys.columns AS c ON c.object_id = ic.object_id AND c.column_id = ic.column_id
 WHERE s.name = %s AND t.name LIKE %s ESCAPE '!' AND i.type > 0
 ORDER BY t.name, i.name, ic.key_ordinal;

-- foreign keys and checks
SELECT t.name, fk.name, 'F', rt.name, fk.delete_referential_action_desc,
       fk.update_referential_action_desc, pc.name, rc.name, fkc.constraint_column_id
  FROM sys.foreign_keys AS fk
  JOIN sys.tables AS t ON t.object_id = fk.parent_object_id
  JOIN sys.schemas AS s ON s.schema_id = t.schema_id
  JOIN sys.tables AS rt ON rt.object_id = fk.referenced_object_id
  JOIN sys.foreign_key_columns AS fkc ON fkc.constraint_object_id = fk.object_id
  JOIN sys.columns AS pc
    ON pc.object_id = fkc.parent_object_id AND pc.column_id = fkc.parent_column_id
  JOIN sys.columns AS rc
    ON rc.object_id = fkc.referenced_object_id AND rc.column_id = fkc.referenced_column_id
 WHERE s.name = %s AND t.name LIKE %s ESCAPE '!'
UNION ALL
SELECT t.name, cc.name, 'C', NULL, NULL, NULL, cc.[definition], NULL, 0
  FROM sys.check_constraints AS cc
  JOIN sys.tables AS t ON t.object_id = cc.parent_object_id
  JOIN sys.schemas AS s ON s.schema_id = t.schema_id
 WHERE s.name = %s AND t.name LIKE %s ESCAPE '!'
 ORDER BY 1, 2, 9;
