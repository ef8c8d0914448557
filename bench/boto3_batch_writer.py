"""The seeds' own loop (seed 000): boto3's Table.batch_writer over csv.DictReader, every value a
string, one thread. Usage: boto3_batch_writer.py ENDPOINT TABLE CSV"""
import csv
import sys

import boto3

endpoint, table_name, path = sys.argv[1:4]
dynamodb = boto3.resource("dynamodb", endpoint_url=endpoint, region_name="us-east-1",
                          aws_access_key_id="benchKey", aws_secret_access_key="benchSecret")
table = dynamodb.create_table(TableName=table_name, BillingMode="PAY_PER_REQUEST",
                              KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                              AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
table.wait_until_exists()
rows = 0
with open(path, newline="", encoding="utf-8") as f, table.batch_writer() as batch:
    for row in csv.DictReader(f):
        batch.put_item(Item=row)
        rows += 1
print(f"{rows} items written")
