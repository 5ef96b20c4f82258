"""A table trigger: each write to the Todo table arrives as a stream record; this one records it
in the Activity table with boto3, on the endpoint and table name the emulator provides."""

import os
import uuid

import boto3

dynamodb = boto3.client("dynamodb")  # AWS_ENDPOINT_URL_DYNAMODB points at the emulator
ACTIONS = {"INSERT": "created", "MODIFY": "updated", "REMOVE": "deleted"}


def handler(event, context):
    for record in event["Records"]:
        image = record["dynamodb"].get("NewImage") or record["dynamodb"].get("OldImage")
        dynamodb.put_item(TableName=os.environ["API_EMULATOR_ACTIVITYTABLE_NAME"], Item={
            "id": {"S": str(uuid.uuid4())},
            "__typename": {"S": "Activity"},
            "todoId": record["dynamodb"]["Keys"]["id"],
            "action": {"S": ACTIONS[record["eventName"]]},
            "title": image.get("title", {"NULL": True}),
            "createdAt": {"S": image.get("updatedAt", {}).get("S", "")},
            "updatedAt": {"S": image.get("updatedAt", {}).get("S", "")},
        })
    print(f"recorded {len(event['Records'])} activities")
